// The storage port of the sync server. One interface, two implementations (SQLite for a single
// station or township, PostgreSQL for many server instances), one contract suite both must pass.

import type { CaseId, CaseStatus, Department, DivisionCode, OrgUnit, Role, ServiceItem, UserId, WorkflowState, YearArrangement } from '../../src/core'

export type StorageKind = 'sqlite' | 'postgres'

export interface UserRecord {
  id: UserId
  username: string
  passwordHash: string
  role: Role
  scope: DivisionCode
  displayName: string
  department: Department | null
  disabled: boolean
  createdAt: number
}

export type NewUser = Omit<UserRecord, 'id' | 'createdAt' | 'disabled'> & { id?: UserId; disabled?: boolean }

export interface DeviceRecord {
  id: string
  userId: UserId
  villageCode: string
  deviceNumber: number
  publicKey: string
  label: string
  createdAt: number
}

/** Who may pull a log entry: bit flags, see sync-server/sync/audience.ts. */
export type Audience = number

export interface CaseSummary {
  item: string
  itemName: string
  /** Masked for lists: 张*三 */
  applicant: string
  /** Masked: 340826********0019 */
  applicantId: string
  createdAt: string
}

export interface CaseRecord {
  id: CaseId
  number: string
  itemCode: string
  itemVersion: number
  village: string
  township: string
  county: string
  level: string
  department: string
  status: CaseStatus
  deadline: string | null
  reachedCounty: boolean
  state: WorkflowState
  summary: CaseSummary
  audience: Audience
  headSeq: number
  createdAt: number
  updatedAt: number
}

export type LogOrigin = 'client' | 'server' | 'snapshot'

export interface LogEntry {
  seq: number
  caseId: CaseId
  audience: Audience
  origin: LogOrigin
  deviceId: string
  userId: string
  data: Uint8Array
  createdAt: number
}

export type NewLogEntry = Omit<LogEntry, 'seq'> & { village: string; township: string; county: string }

export interface AuditEntry {
  caseId: string
  seq: number | null
  userId: string
  deviceId: string
  action: string
  detail: unknown
  at: number
}

export interface PullQuery {
  column: 'village' | 'township' | 'county'
  scope: string
  /** null: every entry (administrators) */
  audienceBit: number | null
  /** Entries this device sent itself are not echoed back to it. */
  excludeDevice: string
  cursor: number
  /** Highest sequence to return (read before the query, so nothing committed later is skipped). */
  upTo: number
  limit: number
}

/** A log entry with the sequence number the writer assigned (writers are serialised). */
export type SequencedLogEntry = NewLogEntry & { seq: number }

/**
 * The writes of one push, in one database transaction: acknowledged means committed. Reads come
 * first; writes are collected and flushed in bulk at the end (a push carries hundreds of cases).
 */
export interface SyncTx {
  /** The highest sequence number in the log; the writer numbers its entries from here. */
  headSeq(): Promise<number>
  getCases(ids: string[]): Promise<Map<string, CaseRecord>>
  /** Which of these case numbers already belong to a stored case. */
  takenNumbers(numbers: string[]): Promise<Set<string>>
  getItem(code: string, version: number): Promise<ServiceItem | undefined>
  /** Log entries of one case after a sequence number, oldest first. */
  logOf(caseId: string, afterSeq: number): Promise<LogEntry[]>
  /** Stored answers by command id, with the user who sent each command. */
  getCommandResults(ids: string[]): Promise<Map<string, { userId: string; result: string }>>

  appendMany(entries: SequencedLogEntry[]): Promise<void>
  upsertCases(cases: CaseRecord[]): Promise<void>
  putCommandResults(rows: { id: string; caseId: string; userId: string; result: string }[]): Promise<void>
  putBatch(userId: string, id: string, response: Uint8Array): Promise<void>
  linkBlobs(links: { caseId: string; hash: string }[]): Promise<void>
  /** Photos the given cases refer to that the server does not hold (complete) yet. */
  missingBlobsOf(caseIds: string[]): Promise<string[]>
  audit(entries: AuditEntry[]): Promise<void>
}

export interface BlobInfo {
  complete: boolean
  size: number
  /** Bytes held so far (= size when complete). */
  received: number
}

export interface Storage {
  readonly kind: StorageKind
  /** Brings the schema up to date; safe to call from several instances at once. */
  migrate(): Promise<void>
  close(): Promise<void>

  getSetting(key: string): Promise<string | undefined>
  /** Stores `value` unless the key exists; returns the value that is stored (first writer wins). */
  setSettingOnce(key: string, value: string): Promise<string>

  putOrgUnits(units: OrgUnit[]): Promise<void>
  listOrgUnits(): Promise<OrgUnit[]>

  putItems(items: ServiceItem[]): Promise<void>
  /** The newest version of every item. */
  listItems(): Promise<ServiceItem[]>
  getItem(code: string, version: number): Promise<ServiceItem | undefined>

  createUser(user: NewUser): Promise<UserRecord>
  findUserByUsername(username: string): Promise<UserRecord | undefined>
  getUser(id: UserId): Promise<UserRecord | undefined>
  countUsers(): Promise<number>

  /** Adds one failure for `key` within `windowMs` (older failures are forgotten); returns the count. */
  recordLoginFailure(key: string, now: number, windowMs: number): Promise<{ count: number; lastAt: number }>
  getLoginFailures(key: string): Promise<{ count: number; lastAt: number } | undefined>
  clearLoginFailures(key: string): Promise<void>

  /** Enrols a device in a village, giving it the next free device number there. */
  enrolDevice(d: Omit<DeviceRecord, 'deviceNumber' | 'createdAt'>): Promise<DeviceRecord>
  getDevice(id: string): Promise<DeviceRecord | undefined>

  putArrangement(a: YearArrangement, loadedBy: string): Promise<void>
  listArrangements(): Promise<YearArrangement[]>

  /** Runs `fn` in one transaction; writers are serialised so sequence numbers commit in order. */
  syncTransaction<T>(fn: (tx: SyncTx) => Promise<T>): Promise<T>
  getBatch(userId: string, id: string): Promise<Uint8Array | undefined>
  getCase(id: string): Promise<CaseRecord | undefined>
  findCaseByNumber(number: string): Promise<CaseRecord | undefined>
  caseLog(caseId: string, afterSeq?: number): Promise<LogEntry[]>
  pull(q: PullQuery): Promise<LogEntry[]>
  /**
   * Replaces the log entries of a case up to `upToSeq` by one snapshot entry addressed to the
   * case's audience as it stands inside the same locked transaction; returns its seq.
   */
  compactCase(caseId: string, upToSeq: number, snapshot: Uint8Array): Promise<number | null>
  auditOf(caseId: string): Promise<AuditEntry[]>
  /** Appends audit rows outside a push (administration); chained like every audit row. */
  appendAudit(entries: AuditEntry[]): Promise<void>
  /** Cases whose log has at least `minEntries` entries (candidates for compaction). */
  casesWithLongLogs(minEntries: number, limit: number): Promise<string[]>
  countLog(): Promise<number>
  /** The highest sequence number in the log (0 when empty). */
  headSeq(): Promise<number>

  blobInfo(hash: string): Promise<BlobInfo | undefined>
  putBlobChunk(hash: string, offset: number, total: number, data: Uint8Array): Promise<void>
  /** Concatenated chunks of an upload in progress. */
  blobChunks(hash: string): Promise<Uint8Array>
  completeBlob(hash: string, data: Uint8Array): Promise<void>
  discardBlobChunks(hash: string): Promise<void>
  getBlob(hash: string): Promise<Uint8Array | undefined>
  blobsOfCase(caseId: string): Promise<{ hash: string; present: boolean }[]>
  /** Cases that refer to a blob (for read checks). */
  casesOfBlob(hash: string): Promise<string[]>
}
