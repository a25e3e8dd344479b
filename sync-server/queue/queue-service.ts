// The read side of the township and county queues, as plain functions a route calls with the
// signed-in actor: every call is scoped by queueScopeOf / mayOpenCase, whatever the parameters say.

import * as Y from 'yjs'
import {
  acceptanceClock,
  canRead,
  DaibanError,
  dayInChina,
  DEFAULT_DUE_SOON_DAYS,
  dueSoonUntil,
  ErrorCode,
  isValidDay,
  maskForm,
  NO_DUE,
  readForm,
  readMaterials,
  readNotes,
  readWorkflow,
  timeLeft,
  type Actor,
  type CaseStatus,
  type FormValues,
} from '../../src/core'
import type { CaseRecord, CaseRouting, QueueRow, Storage } from '../storage'
import { mayOpenCase, queueScopeOf } from './scope'
import type { BatchParams, CaseQuery, QueueParams } from './schemas'

export const DEFAULT_QUEUE_LIMIT = 50
export const BATCH_DAYS = 30

export interface QueueClock {
  /** Today in China, 'YYYY-MM-DD'. */
  today: string
  now: number
  dueSoonDays: number
}

interface Cursor {
  due: string
  id: string
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.due, c.id])).toString('base64url')
}

export function decodeCursor(s: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && (isValidDay(v[0]) || v[0] === NO_DUE) && typeof v[1] === 'string' && /^[\w-]{1,64}$/.test(v[1]))
      return { due: v[0], id: v[1] }
  } catch {
    // fall through
  }
  throw new DaibanError(ErrorCode.badRequest, 'query.cursor: not a cursor this server gave out')
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

function liveAssignee(r: CaseRouting, now: number) {
  return r.assignee && r.assigneeUntil !== null && r.assigneeUntil > now ? { userId: r.assignee, name: r.assigneeName ?? r.assignee, until: new Date(r.assigneeUntil).toISOString() } : null
}

/** The time facts every queue row and case page shows, from the routing columns. */
export function timeFacts(status: CaseStatus, r: CaseRouting, clock: QueueClock) {
  const due = r.due === NO_DUE ? null : r.due
  return {
    due,
    dueKind: r.dueKind,
    estimated: r.dueEstimated,
    fromReceipt: r.fromReceipt,
    paused: r.paused,
    timeLeft: timeLeft(due, clock.today, { paused: r.paused, dueSoonDays: clock.dueSoonDays }),
    acceptance: status === 'submitted' && r.submittedOn ? acceptanceClock(r.submittedOn, clock.today) : null,
    assignee: liveAssignee(r, clock.now),
  }
}

function rowJson(row: QueueRow, clock: QueueClock) {
  return {
    id: row.id,
    number: row.number,
    village: row.village,
    township: row.township,
    item: row.itemCode,
    itemName: row.summary.itemName,
    department: row.department,
    level: row.level,
    status: row.status,
    applicant: row.summary.applicant,
    applicantId: row.summary.applicantId,
    ...timeFacts(row.status, row.routing, clock),
    suspended: row.suspended,
    receivedAt: iso(row.routing.receivedAt),
    submittedOn: row.routing.submittedOn,
    updatedAt: new Date(row.updatedAt).toISOString(),
  }
}
export type QueueRowJson = ReturnType<typeof rowJson>

/** Turns validated query parameters into a storage query within the actor's scope. */
function queueQuery(actor: Actor, p: QueueParams, clock: QueueClock, limit: number) {
  const view = p.view ?? 'queue'
  const scope = queueScopeOf(actor, view)
  const soon = dueSoonUntil(clock.today, clock.dueSoonDays)
  return {
    scope,
    state: view === 'supervision' ? ('open' as const) : (p.state ?? 'open'),
    ...(p.department ? { department: p.department } : {}),
    ...(p.village ? { village: p.village } : {}),
    ...(p.item ? { item: p.item } : {}),
    ...(p.assignee ? { assignee: p.assignee === 'none' ? null : p.assignee === 'me' ? actor.userId : p.assignee } : {}),
    // Supervision is of overdue and nearly overdue cases only.
    ...(p.due === 'soon' || view === 'supervision' ? { dueBy: soon } : {}),
    ...(p.due === 'overdue' ? { overdueBefore: clock.today } : {}),
    ...(p.q ? { text: p.q.trim() } : {}),
    ...(p.cursor ? { after: decodeCursor(p.cursor) } : {}),
    limit,
    now: clock.now,
  }
}

export async function listQueue(storage: Storage, actor: Actor, p: QueueParams, clock: QueueClock) {
  const limit = p.limit ?? DEFAULT_QUEUE_LIMIT
  const rows = await storage.queue(queueQuery(actor, p, clock, limit + 1))
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    ok: true as const,
    today: clock.today,
    dueSoonDays: clock.dueSoonDays,
    rows: page.map((r) => rowJson(r, clock)),
    next: rows.length > limit && last ? encodeCursor({ due: last.routing.due, id: last.id }) : null,
  }
}

/** Every row of a queue query, page by page, up to `max` rows (exports). */
export async function allQueueRows(storage: Storage, actor: Actor, p: QueueParams, clock: QueueClock, max: number): Promise<QueueRowJson[]> {
  const out: QueueRowJson[] = []
  let after: { due: string; id: string } | undefined
  while (out.length < max) {
    const q = queueQuery(actor, { ...p, cursor: undefined }, clock, Math.min(1000, max - out.length))
    const rows = await storage.queue(after ? { ...q, after } : q)
    for (const r of rows) out.push(rowJson(r, clock))
    if (rows.length < q.limit) break
    const last = rows.at(-1)!
    after = { due: last.routing.due, id: last.id }
  }
  return out
}

export async function listBatches(storage: Storage, actor: Actor, p: BatchParams, now: number) {
  if (actor.role === 'county') throw new DaibanError(ErrorCode.forbidden, 'batches arrive at the township; the county sees forwarded cases in its queue')
  const scope = queueScopeOf(actor)
  const column = p.village ? ('village' as const) : scope.column
  const code = p.village ?? scope.code
  if (p.village && !p.village.startsWith(actor.scope)) throw new DaibanError(ErrorCode.outOfScope, 'query.village: outside your scope')
  const rows = await storage.batches({ column, code, department: scope.department, since: now - (p.days ?? BATCH_DAYS) * 86_400_000, limit: p.limit ?? 100 })
  return { ok: true as const, batches: rows.map((b) => ({ ...b, receivedAt: new Date(b.receivedAt).toISOString() })) }
}

const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/
const CASE_NUMBER = /^\d{12}-\d{6}-\d{3}-\d{4}-[\dX]$/

async function findCase(storage: Storage, ref: string): Promise<CaseRecord | undefined> {
  if (CASE_NUMBER.test(ref)) return storage.findCaseByNumber(ref)
  return CASE_ID.test(ref) ? storage.getCase(ref) : undefined
}

/** Rebuilds the case document from its log (snapshots included). */
async function loadDoc(storage: Storage, id: string): Promise<Y.Doc> {
  const doc = new Y.Doc({ gc: true })
  for (const e of await storage.caseLog(id)) Y.applyUpdate(doc, e.data)
  return doc
}

function definedValues(form: FormValues): Record<string, string | number | null> {
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string | number | null>
}

/** Control characters out, length bounded: what an audit trail may keep of a typed reason. */
export function cleanReason(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200)
}

export async function getCaseView(storage: Storage, actor: Actor, ref: string, q: CaseQuery, clock: QueueClock, deviceId = '') {
  const rec = await findCase(storage, ref)
  if (!rec || !mayOpenCase(actor, rec, dueSoonUntil(clock.today, clock.dueSoonDays))) throw new DaibanError(ErrorCode.notFound, 'no such case in your scope')
  if (q.reveal && !(q.reason && cleanReason(q.reason).length >= 2)) throw new DaibanError(ErrorCode.badRequest, 'query.reason: say why the numbers are needed to reveal them')
  // Supervision shows the county a township's overdue case, not the resident's numbers.
  if (q.reveal && !canRead(actor, rec.state)) throw new DaibanError(ErrorCode.forbidden, 'query.reveal: only the office handling the case may reveal personal numbers')
  const doc = await loadDoc(storage, rec.id)
  const item = await storage.getItem(rec.itemCode, rec.itemVersion)
  const rawForm = readForm(doc)
  const masked = maskForm(item?.fields ?? [], rawForm)
  const revealed = Boolean(q.reveal) && masked.masked.length > 0
  if (revealed)
    await storage.recordAudit([{ caseId: rec.id, seq: null, userId: actor.userId, deviceId, action: 'reveal', detail: { fields: masked.masked, reason: cleanReason(q.reason!) }, at: clock.now }])
  const { state, events } = readWorkflow(doc)
  const routing = rec.routing!
  return {
    ok: true as const,
    case: {
      id: rec.id,
      number: rec.number,
      village: rec.village,
      township: rec.township,
      county: rec.county,
      item: { code: rec.itemCode, version: rec.itemVersion, name: rec.summary.itemName },
      department: rec.department,
      level: rec.level,
      status: rec.status,
      ...timeFacts(rec.status, routing, clock),
      state: (state ?? rec.state) as unknown as Record<string, unknown>,
      form: definedValues(revealed ? rawForm : masked.form),
      maskedFields: revealed ? [] : masked.masked,
      revealed,
      materials: readMaterials(doc) as unknown as Record<string, Record<string, unknown>>,
      photos: await storage.blobsOfCase(rec.id),
      notes: readNotes(doc) as unknown as Record<string, unknown>[],
      events: events as unknown as Record<string, unknown>[],
      createdAt: new Date(rec.createdAt).toISOString(),
      updatedAt: new Date(rec.updatedAt).toISOString(),
    },
  }
}

/** The queue clock of a request: today in China, now, and the configured due-soon threshold. */
export function queueClockNow(dueSoonDays: number = DEFAULT_DUE_SOON_DAYS): QueueClock {
  const now = Date.now()
  return { today: dayInChina(now), now, dueSoonDays }
}
