// The storage port of the sync server. One interface, two implementations (SQLite for a single
// station or township, PostgreSQL for many server instances), one contract suite both must pass.

import type { CaseId, CaseStatus, DayCounts, Department, MetricSums, DivisionCode, OrgUnit, Role, ServiceItem, UserId, WorkflowState, YearArrangement } from '../../src/core'

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
  /** When an administrator revoked it (its syncs and sockets are refused from then on). */
  revokedAt: number | null
  /** The highest receipt (paper) sequence received from the device when it was revoked. */
  highestPaperSeqAtRevocation: number | null
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
  /** Who took the case in, on which device (from the case's meta). */
  createdBy?: string
  device?: string
  /** Search key for the queue (full name and pinyin initials): kept in its own column, never in this JSON. */
  nameKey?: string
}

/** Queue columns of a case, derived from its workflow state in the log transaction (routing.ts). */
export interface CaseRouting {
  /** Waiting for an office or the resident: submitted, returned, accepted, forwarded. */
  open: boolean
  /** Day the next act is due ('9999-12-31' when none): acceptance notice, decision or correction. */
  due: string
  dueKind: 'acceptance' | 'decision' | 'correction' | 'none'
  dueEstimated: boolean
  /** Accepted after the art. 32 notice period: the deadline counts from receipt. */
  fromReceipt: boolean
  paused: boolean
  assignee: string | null
  assigneeName: string | null
  /** When the holder's claim lapses (ms), null without a claim. */
  assigneeUntil: number | null
  /** The push that first submitted the case: when, by whom, from which device. */
  receivedAt: number | null
  receivedBy: string | null
  receivedDevice: string | null
  submittedOn: string | null
  acceptedOn: string | null
  completedOn: string | null
  /** Decided, refused or withdrawn on (staff devices keep closed cases for 30 days). */
  closedOn: string | null
  kind: 'instant' | 'promised'
  /** Returned for correction at least once. */
  returned: boolean
  /** Completed by its deadline (null until completed). */
  onTime: boolean | null
  /** Working days from acceptance to completion. */
  workDays: number | null
  /** Trips the resident made in person, recorded at delivery. */
  trips: number | null
  rating: number | null
  nameKey: string
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
  /** Absent on a record built before routing ran; always present on one read from storage. */
  routing?: CaseRouting
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
  /** Staff devices: leave out cases closed (decided, refused, withdrawn) before this day. */
  closedBefore?: string
  /** A department clerk's device: only cases of that department. */
  department?: string
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
  /** Of these hashes, those stored complete, with the accounts that uploaded each. */
  blobOwners(hashes: string[]): Promise<Map<string, string[]>>
  /** The cases already referring to each of these hashes. */
  casesOfBlobs(hashes: string[]): Promise<Map<string, string[]>>
  /** Photos the given cases refer to that the server does not hold (complete) yet. */
  missingBlobsOf(caseIds: string[]): Promise<string[]>
  audit(entries: AuditEntry[]): Promise<void>
  /** Records printed papers (a paper already recorded keeps its first record). */
  putPapers(rows: PaperRow[]): Promise<void>
}

export interface PaperRow {
  deviceId: string
  seq: number
  digest: string
  caseId: string
  kind: string
  reprint: boolean
  issuedBy: string
  /** ms, the device's clock */
  issuedAt: number
  /** ms, the server's clock */
  receivedAt: number
}

/** Where a queue query looks: one division (its column) and, for a clerk, one department. */
export interface QueueScope {
  column: 'village' | 'township' | 'county'
  code: string
  department: string | null
  /** County staff: only cases that reached the county, unless `supervision`. */
  reachedCounty: boolean
  /** Township staff and agents never see drafts of others; only agents see drafts. */
  includeDrafts: boolean
}

export const QueueStates = ['open', 'all', 'draft', 'submitted', 'returned', 'accepted', 'forwarded', 'completed', 'delivered', 'archived', 'refused', 'withdrawn'] as const
export type QueueState = (typeof QueueStates)[number]

export interface QueueQuery {
  scope: QueueScope
  state: QueueState
  department?: string
  village?: string
  item?: string
  /** A user id, or null for unassigned cases (a lapsed claim counts as unassigned). */
  assignee?: string | null
  /** Due on or before this day (due soon), or before this day (overdue). */
  dueBy?: string
  overdueBefore?: string
  /** Case number (prefix) or resident name / pinyin initials (part of). */
  text?: string
  after?: { due: string; id: string }
  limit: number
  now: number
}

export interface QueueRow {
  id: string
  number: string
  village: string
  township: string
  itemCode: string
  department: string
  level: string
  status: CaseStatus
  summary: CaseSummary
  routing: CaseRouting
  suspended: boolean
  updatedAt: number
}

export interface BatchQuery {
  column: 'village' | 'township' | 'county'
  code: string
  department: string | null
  since: number
  limit: number
}

export interface BatchRow {
  village: string
  agent: string
  agentName: string
  device: string
  receivedAt: number
  cases: number
  /** Still waiting for acceptance. */
  pending: number
  missingPhotos: number
}

export interface MetricsQuery {
  column: 'village' | 'township' | 'county'
  code: string
  department: string | null
  from: string
  to: string
  groupBy: 'county' | 'township' | 'village' | 'department' | 'item'
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
  /**
   * In one locked transaction: reads the rows of `keys`, asks `waitMs` how long the caller must
   * still wait; when 0, counts one attempt on every key (a count outside its window restarts at
   * 1). Returns the wait. Parallel callers are judged one after another.
   */
  reserveLoginAttempt(
    keys: { key: string; windowMs: number }[],
    now: number,
    waitMs: (rows: ({ count: number; lastAt: number } | undefined)[], now: number) => number,
  ): Promise<number>
  /** Moves the last-attempt time of existing throttle rows to `now` (the count stays). */
  touchLoginFailures(keys: string[], now: number): Promise<void>
  /** Deletes throttle rows last touched before `before`; returns how many. */
  pruneLoginFailures(before: number): Promise<number>

  /** Enrols a device in a village, giving it the next free device number there. */
  enrolDevice(d: Omit<DeviceRecord, 'deviceNumber' | 'createdAt' | 'revokedAt' | 'highestPaperSeqAtRevocation'>): Promise<DeviceRecord>
  getDevice(id: string): Promise<DeviceRecord | undefined>
  /** Marks a device revoked (once; a second call keeps the first time); returns the record. */
  revokeDevice(id: string, at: number, highestPaperSeq: number | null): Promise<DeviceRecord | undefined>
  /** Records the highest receipt sequence received from a revoked device before its revocation. */
  setHighestPaperSeqAtRevocation(id: string, seq: number): Promise<void>
  /** The escrow key of an account on a device: the stored one, or `fresh` stored now (first call). */
  deviceEscrowKey(deviceId: string, userId: UserId, fresh: string, now: number): Promise<string>
  /** Records that a revoked device erased its data (once; false when not revoked or already recorded). */
  markDeviceErased(deviceId: string, at: number): Promise<boolean>
  setUserDisabled(id: UserId, disabled: boolean): Promise<void>

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

  /** A complete blob's size (undefined while no upload of it has finished). */
  /** Queue page in due order (keyset paging on due, id). */
  queue(q: QueueQuery): Promise<QueueRow[]>
  /** Incoming batches (one push of one device) with their case and missing-photo counts, newest first. */
  batches(q: BatchQuery): Promise<BatchRow[]>
  /** Metric sums per group and per day of intake over a period. */
  metricSums(q: MetricsQuery): Promise<{ groups: { key: string; sums: MetricSums }[]; days: DayCounts[] }>
  /** Audit entries outside a push (reveals of personal data). */
  recordAudit(entries: AuditEntry[]): Promise<void>

  blobInfo(hash: string): Promise<BlobInfo | undefined>
  /** One uploader's unfinished upload of a blob (each uploader has its own). */
  uploadInfo(hash: string, userId: string): Promise<BlobInfo | undefined>
  putBlobChunk(hash: string, userId: string, offset: number, total: number, data: Uint8Array): Promise<void>
  /** Concatenated chunks of one uploader's upload in progress. */
  blobChunks(hash: string, userId: string): Promise<Uint8Array>
  /** Stores the verified bytes (once) and records `userId` as one who uploaded them. */
  completeBlob(hash: string, userId: string, data: Uint8Array): Promise<void>
  discardBlobChunks(hash: string, userId: string): Promise<void>
  /** Whether this account uploaded the blob (proved it holds the bytes). */
  isBlobOwner(hash: string, userId: string): Promise<boolean>
  /** Bytes an account holds on the server that no case refers to: unfinished uploads and unlinked blobs. */
  unlinkedBytesOf(userId: string): Promise<number>
  /** Removes unfinished uploads untouched since `before`; returns how many uploads. */
  pruneStaleUploads(before: number): Promise<number>
  /** Removes complete blobs stored before `before` that no case refers to; returns how many. */
  pruneUnlinkedBlobs(before: number): Promise<number>
  getBlob(hash: string): Promise<Uint8Array | undefined>
  blobsOfCase(caseId: string): Promise<{ hash: string; present: boolean }[]>
  /** Cases that refer to a blob (for read checks). */
  casesOfBlob(hash: string): Promise<string[]>
}
