// The sync and blob parts of the Kysely storage: the case table, the update log, idempotency
// records, blobs and the audit trail. Shared by SQLite and PostgreSQL.

import { sql, type Kysely, type Transaction } from 'kysely'
import type { CaseId, CaseStatus, ServiceItem, WorkflowState } from '../../src/core'
import { chainHash, lastAuditHash } from './audit-chain'
import type { CasesTable, Database, UpdatesTable } from './schema'
import type { AuditEntry, CaseRecord, CaseRouting, LogEntry, LogOrigin, PaperRow, PullQuery, SequencedLogEntry, StorageKind, SyncTx } from './types'

type Db = Kysely<Database> | Transaction<Database>

const bytes = (b: Uint8Array) => (b instanceof Buffer ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength))

const OPEN: readonly CaseStatus[] = ['submitted', 'returned', 'accepted', 'forwarded']

/** Routing of a record nobody routed (written outside a push): what the record itself tells. */
export function basicRouting(c: CaseRecord): CaseRouting {
  return {
    open: OPEN.includes(c.status), due: c.deadline ?? '9999-12-31', dueKind: c.deadline ? 'decision' : 'none', dueEstimated: false, fromReceipt: false, paused: false,
    assignee: null, assigneeName: null, assigneeUntil: null, receivedAt: null, receivedBy: null, receivedDevice: null,
    submittedOn: null, acceptedOn: null, completedOn: null, closedOn: null, kind: c.state.rules.kind, returned: false,
    onTime: null, workDays: null, trips: null, rating: null, nameKey: c.summary.nameKey ?? '',
  }
}

const flag = (b: boolean | null) => (b === null ? null : b ? 1 : 0)

function routingColumns(r: CaseRouting) {
  return {
    open: r.open ? 1 : 0,
    due: r.due,
    due_kind: r.dueKind,
    due_estimated: r.dueEstimated ? 1 : 0,
    from_receipt: r.fromReceipt ? 1 : 0,
    paused: r.paused ? 1 : 0,
    assignee: r.assignee,
    assignee_name: r.assigneeName,
    assignee_until: r.assigneeUntil,
    received_at: r.receivedAt,
    received_by: r.receivedBy,
    received_device: r.receivedDevice,
    submitted_on: r.submittedOn,
    accepted_on: r.acceptedOn,
    completed_on: r.completedOn,
    closed_on: r.closedOn,
    kind: r.kind,
    returned: r.returned ? 1 : 0,
    on_time: flag(r.onTime),
    work_days: r.workDays,
    trips: r.trips,
    rating: r.rating,
    name_key: r.nameKey,
  }
}

const num = (v: number | string | null) => (v === null ? null : Number(v))

export function routingFromRow(r: CasesTable): CaseRouting {
  return {
    open: Boolean(r.open),
    due: r.due,
    dueKind: r.due_kind as CaseRouting['dueKind'],
    dueEstimated: Boolean(r.due_estimated),
    fromReceipt: Boolean(r.from_receipt),
    paused: Boolean(r.paused),
    assignee: r.assignee,
    assigneeName: r.assignee_name,
    assigneeUntil: num(r.assignee_until),
    receivedAt: num(r.received_at),
    receivedBy: r.received_by,
    receivedDevice: r.received_device,
    submittedOn: r.submitted_on,
    acceptedOn: r.accepted_on,
    completedOn: r.completed_on,
    closedOn: r.closed_on,
    kind: r.kind as CaseRouting['kind'],
    returned: Boolean(r.returned),
    onTime: r.on_time === null ? null : Boolean(r.on_time),
    workDays: num(r.work_days),
    trips: num(r.trips),
    rating: num(r.rating),
    nameKey: r.name_key,
  }
}

export function toCaseRow(c: CaseRecord): CasesTable {
  const { nameKey: _key, ...summary } = c.summary
  return {
    ...routingColumns(c.routing ?? basicRouting(c)),
    id: c.id,
    number: c.number,
    item_code: c.itemCode,
    item_version: c.itemVersion,
    village: c.village,
    township: c.township,
    county: c.county,
    level: c.level,
    department: c.department,
    status: c.status,
    deadline: c.deadline,
    reached_county: c.reachedCounty ? 1 : 0,
    state: JSON.stringify(c.state),
    summary: JSON.stringify(summary),
    audience: c.audience,
    head_seq: c.headSeq,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  }
}

export function fromCaseRow(r: CasesTable): CaseRecord {
  return {
    id: r.id as CaseId,
    number: r.number,
    itemCode: r.item_code,
    itemVersion: r.item_version,
    village: r.village,
    township: r.township,
    county: r.county,
    level: r.level,
    department: r.department,
    status: r.status as CaseStatus,
    deadline: r.deadline,
    reachedCounty: Boolean(r.reached_county),
    state: JSON.parse(r.state) as WorkflowState,
    summary: JSON.parse(r.summary),
    audience: r.audience,
    headSeq: Number(r.head_seq),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    routing: routingFromRow(r),
  }
}

type UpdateRow = Pick<UpdatesTable, 'case_id' | 'audience' | 'origin' | 'device_id' | 'user_id' | 'data' | 'created_at'> & { seq: number }

export function fromLogRow(r: UpdateRow): LogEntry {
  return {
    seq: Number(r.seq),
    caseId: r.case_id as CaseId,
    audience: r.audience,
    origin: r.origin as LogOrigin,
    deviceId: r.device_id,
    userId: r.user_id,
    data: r.data,
    createdAt: Number(r.created_at),
  }
}

const LOG_COLUMNS = ['seq', 'case_id', 'audience', 'origin', 'device_id', 'user_id', 'data', 'created_at'] as const

function toLogRow(e: SequencedLogEntry) {
  return {
    seq: e.seq,
    case_id: e.caseId,
    village: e.village,
    township: e.township,
    county: e.county,
    audience: e.audience,
    origin: e.origin,
    device_id: e.deviceId,
    user_id: e.userId,
    data: bytes(e.data),
    created_at: e.createdAt,
  }
}

/** Sequence numbers are assigned by the (serialised) writer, never by the database. */
export async function appendLog(db: Db, entries: SequencedLogEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 400) await db.insertInto('updates').values(entries.slice(i, i + 400).map(toLogRow)).execute()
}

export async function maxSeq(db: Db): Promise<number> {
  const row = await db.selectFrom('updates').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

export async function logOf(db: Db, caseId: string, afterSeq = 0): Promise<LogEntry[]> {
  const rows = await db.selectFrom('updates').select(LOG_COLUMNS).where('case_id', '=', caseId).where('seq', '>', afterSeq).orderBy('seq').execute()
  return rows.map(fromLogRow)
}

export async function pull(db: Db, q: PullQuery): Promise<LogEntry[]> {
  let query = db
    .selectFrom('updates')
    .select(LOG_COLUMNS)
    .where(q.column, '=', q.scope)
    .where('seq', '>', q.cursor)
    .where('seq', '<=', q.upTo)
    .where((eb) => eb.or([eb('origin', '!=', 'client'), eb('device_id', '!=', q.excludeDevice)]))
  if (q.audienceBit !== null) query = query.where(sql<boolean>`(audience & ${q.audienceBit}) <> 0`)
  const { closedBefore, department } = q
  if (closedBefore)
    query = query.where((eb) => eb.not(eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.id', '=', 'updates.case_id').where('cases.closed_on', '<', closedBefore))))
  if (department)
    query = query.where((eb) => eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.id', '=', 'updates.case_id').where('cases.department', '=', department)))
  const rows = await query.orderBy('seq').limit(q.limit).execute()
  return rows.map(fromLogRow)
}

/** Appends audit rows chained to the last one; the caller holds the log lock (see audit-chain.ts). */
export async function writeAudit(db: Db, entries: AuditEntry[]): Promise<void> {
  let prev = await lastAuditHash(db)
  const rows = entries.map((e) => {
    const row = { case_id: e.caseId, seq: e.seq, user_id: e.userId, device_id: e.deviceId, action: e.action, detail: JSON.stringify(e.detail), at: e.at }
    prev = chainHash(prev, row)
    return { ...row, hash: prev }
  })
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('audit').values(rows.slice(i, i + 200)).execute()
}

const CASE_COLUMNS = [
  'number', 'item_code', 'item_version', 'village', 'township', 'county', 'level', 'department', 'status', 'deadline',
  'reached_county', 'state', 'summary', 'audience', 'head_seq', 'created_at', 'updated_at',
  'open', 'due', 'due_kind', 'due_estimated', 'from_receipt', 'paused', 'assignee', 'assignee_name', 'assignee_until',
  'received_at', 'received_by', 'received_device', 'submitted_on', 'accepted_on', 'completed_on', 'closed_on', 'kind',
  'returned', 'on_time', 'work_days', 'trips', 'rating', 'name_key',
] as const

export class KyselySyncTx implements SyncTx {
  constructor(private db: Transaction<Database>) {}

  headSeq() {
    return maxSeq(this.db)
  }

  async getCases(ids: string[]) {
    const out = new Map<string, CaseRecord>()
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.selectFrom('cases').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()
      for (const r of rows) out.set(r.id, fromCaseRow(r))
    }
    return out
  }

  async takenNumbers(numbers: string[]) {
    const taken = new Set<string>()
    for (let i = 0; i < numbers.length; i += 500) {
      const rows = await this.db.selectFrom('cases').select('number').where('number', 'in', numbers.slice(i, i + 500)).execute()
      for (const r of rows) taken.add(r.number)
    }
    return taken
  }

  async getItem(code: string, version: number) {
    const row = await this.db.selectFrom('items').select('data').where('code', '=', code).where('version', '=', version).executeTakeFirst()
    return row ? (JSON.parse(row.data) as ServiceItem) : undefined
  }

  logOf(caseId: string, afterSeq: number) {
    return logOf(this.db, caseId, afterSeq)
  }

  async getCommandResults(ids: string[]) {
    const out = new Map<string, { userId: string; result: string }>()
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.selectFrom('commands').select(['id', 'user_id', 'result']).where('id', 'in', ids.slice(i, i + 500)).execute()
      for (const r of rows) out.set(r.id, { userId: r.user_id, result: r.result })
    }
    return out
  }

  appendMany(entries: SequencedLogEntry[]) {
    return appendLog(this.db, entries)
  }

  async upsertCases(cases: CaseRecord[]) {
    for (let i = 0; i < cases.length; i += 250) {
      await this.db
        .insertInto('cases')
        .values(cases.slice(i, i + 250).map(toCaseRow))
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => Object.fromEntries(CASE_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)]))))
        .execute()
    }
  }

  async putCommandResults(rows: { id: string; caseId: string; userId: string; result: string }[]) {
    const now = Date.now()
    for (let i = 0; i < rows.length; i += 500)
      await this.db
        .insertInto('commands')
        .values(rows.slice(i, i + 500).map((r) => ({ id: r.id, case_id: r.caseId, user_id: r.userId, result: r.result, created_at: now })))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
  }

  async putBatch(userId: string, id: string, response: Uint8Array) {
    await this.db
      .insertInto('batches')
      .values({ user_id: userId, id, response: bytes(response), created_at: Date.now() })
      .onConflict((oc) => oc.columns(['user_id', 'id']).doNothing())
      .execute()
  }

  async putPapers(rows: PaperRow[]) {
    for (let i = 0; i < rows.length; i += 200) {
      await this.db
        .insertInto('papers')
        .values(
          rows.slice(i, i + 200).map((r) => ({
            device_id: r.deviceId,
            seq: r.seq,
            digest: r.digest,
            case_id: r.caseId,
            kind: r.kind,
            reprint: r.reprint ? 1 : 0,
            issued_by: r.issuedBy,
            issued_at: r.issuedAt,
            received_at: r.receivedAt,
          })),
        )
        .onConflict((oc) => oc.columns(['device_id', 'seq']).doNothing())
        .execute()
    }
  }

  async linkBlobs(links: { caseId: string; hash: string }[]) {
    for (let i = 0; i < links.length; i += 300) {
      await this.db
        .insertInto('case_blobs')
        .values(links.slice(i, i + 300).map((l) => ({ case_id: l.caseId, hash: l.hash })))
        .onConflict((oc) => oc.columns(['case_id', 'hash']).doNothing())
        .execute()
    }
  }

  async blobOwners(hashes: string[]) {
    const out = new Map<string, string[]>()
    for (let i = 0; i < hashes.length; i += 500) {
      const part = hashes.slice(i, i + 500)
      const rows = await this.db
        .selectFrom('blobs')
        .leftJoin('blob_owners', 'blob_owners.hash', 'blobs.hash')
        .select(['blobs.hash as hash', 'blob_owners.user_id as userId'])
        .where('blobs.hash', 'in', part)
        .execute()
      for (const r of rows) {
        const list = out.get(r.hash) ?? []
        if (r.userId) list.push(r.userId)
        out.set(r.hash, list)
      }
    }
    return out
  }

  async casesOfBlobs(hashes: string[]) {
    const out = new Map<string, string[]>()
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await this.db.selectFrom('case_blobs').select(['hash', 'case_id']).where('hash', 'in', hashes.slice(i, i + 500)).execute()
      for (const r of rows) out.set(r.hash, [...(out.get(r.hash) ?? []), r.case_id])
    }
    return out
  }

  async missingBlobsOf(caseIds: string[]) {
    const missing = new Set<string>()
    for (let i = 0; i < caseIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('case_blobs')
        .leftJoin('blobs', 'blobs.hash', 'case_blobs.hash')
        .select('case_blobs.hash as hash')
        .where('case_blobs.case_id', 'in', caseIds.slice(i, i + 500))
        .where('blobs.hash', 'is', null)
        .execute()
      for (const r of rows) missing.add(r.hash)
    }
    return [...missing]
  }

  audit(entries: AuditEntry[]) {
    return writeAudit(this.db, entries)
  }
}

/** Serialises writers so that sequence numbers become visible in commit order (PostgreSQL). */
export async function lockLog(db: Transaction<Database>, kind: StorageKind): Promise<void> {
  if (kind === 'postgres') await sql`select pg_advisory_xact_lock(7215001)`.execute(db)
}
