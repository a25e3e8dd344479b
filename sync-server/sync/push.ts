// Applies one push inside one database transaction: every case update is checked against the
// sender's rights on the case document and queued for the log; then every command runs through
// the core state machine in arrival order and its effect is written into the case document as a
// server-authored update. All writes are flushed in bulk at the end. Acknowledged means committed.

import * as Y from 'yjs'
import {
  apply,
  applyAndInspect,
  audienceOf,
  canRead,
  countyOf,
  initialWorkflow,
  judgeUpdate,
  readMeta,
  readForm,
  readMaterials,
  blockingProblems,
  validateCase,
  RefusalCode,
  referencedBlobs,
  townshipOf,
  UpdateRejection,
  writeWorkflow,
  type Actor,
  type CaseId,
  type Command,
  type CommandAnswer,
  type KeyChange,
  type ServiceItem,
  type SyncRequest,
  type UpdateAck,
  type VillageCode,
  type WorkflowEvent,
} from '../../src/core'
import type { AuditEntry, CaseRecord, LogOrigin, SequencedLogEntry, SyncTx } from '../storage'
import type { DocCache } from './doc-cache'
import { routeCase } from './routing'
import { summarise } from './summary'

export const MAX_UPDATE_BYTES = 1024 * 1024

export interface PushContext {
  tx: SyncTx
  docs: DocCache
  actor: Actor
  deviceId: string
  now: number
  item(code: string, version: number): Promise<ServiceItem | undefined>
}

export interface PushOutcome {
  acks: UpdateAck[]
  commands: CommandAnswer[]
  /** Cases acknowledged in this push and blobs they refer to that the server lacks. */
  receipt: { cases: CaseId[]; missingBlobs: string[] }
  /** Cases whose log grew (for live notifications). */
  touched: CaseRecord[]
  /** Documents changed in memory: evict them if the transaction fails. */
  dirtyDocs: string[]
}

/** Who changed what: every key of an edit; for a creation, how many keys of each root. */
function auditDetail(changes: KeyChange[], isNew: boolean): Record<string, unknown> {
  if (!isNew) return { changes: changes.map((c) => `${c.action} ${c.root}.${c.key}`) }
  const counts: Record<string, number> = {}
  for (const c of changes) counts[c.root] = (counts[c.root] ?? 0) + 1
  return { created: counts }
}

const refusal = (caseId: CaseId, code: UpdateRejection, message: string): UpdateAck => ({ caseId, ok: false, code, message })

/** Writes collected during a push, flushed together. */
class PendingWrites {
  entries: SequencedLogEntry[] = []
  cases = new Map<string, CaseRecord>()
  audit: AuditEntry[] = []
  commands: { id: string; caseId: string; userId: string; result: string }[] = []
  blobLinks: { caseId: string; hash: string }[] = []

  constructor(private seq: number) {}

  append(rec: CaseRecord, data: Uint8Array, origin: LogOrigin, audience: number, actor: Actor, deviceId: string, now: number): number {
    const seq = ++this.seq
    this.entries.push({ seq, caseId: rec.id, village: rec.village, township: rec.township, county: rec.county, audience, origin, deviceId, userId: actor.userId, data, createdAt: now })
    return seq
  }

  /** Drops what was queued for a case (a new case whose number turned out to be taken). */
  drop(caseId: string): void {
    this.entries = this.entries.filter((e) => e.caseId !== caseId)
    this.cases.delete(caseId)
    this.audit = this.audit.filter((a) => a.caseId !== caseId)
    this.blobLinks = this.blobLinks.filter((l) => l.caseId !== caseId)
  }

  async flush(tx: SyncTx): Promise<void> {
    await tx.appendMany(this.entries)
    await tx.upsertCases([...this.cases.values()].map(routeCase))
    if (this.commands.length) await tx.putCommandResults(this.commands)
    if (this.blobLinks.length) await tx.linkBlobs(this.blobLinks)
    if (this.audit.length) await tx.audit(this.audit)
  }
}

function newCaseRecord(caseId: CaseId, doc: Y.Doc, item: ServiceItem, now: number): CaseRecord {
  const meta = readMeta(doc)
  const village = meta.village as VillageCode
  const state = initialWorkflow(village, { level: item.level, kind: item.kind, limitDays: item.promisedLimitDays, correctionClock: item.correctionClock, department: item.department })
  return {
    id: caseId,
    number: meta.number!,
    itemCode: item.code,
    itemVersion: item.version,
    village,
    township: townshipOf(village),
    county: countyOf(village),
    level: item.level,
    department: item.department,
    status: state.status,
    deadline: null,
    reachedCounty: false,
    state,
    summary: summarise(doc, item),
    audience: audienceOf(state),
    headSeq: 0,
    createdAt: now,
    updatedAt: now,
  }
}

export async function applyPush(ctx: PushContext, req: SyncRequest): Promise<PushOutcome> {
  const { tx, docs, actor, deviceId, now } = ctx
  const ids = [...new Set([...req.header.updates, ...req.header.commands.map((c) => c.caseId)])]
  const cases = await tx.getCases(ids)
  const w = new PendingWrites(await tx.headSeq())
  const acks = new Map<CaseId, UpdateAck>()
  const dirtyDocs = new Set<string>()
  const created = new Map<string, CaseId>() // case number → case id, for new cases
  const commanded = new Set<string>(req.header.commands.map((c) => c.caseId))
  // Documents this push has changed: its log entries are written only at the end, so the shared
  // cache (which may evict them meanwhile) and the log cannot stand in for them until then.
  const inPush = new Map<string, Y.Doc>()
  const loadDoc = async (rec: CaseRecord) => {
    const mine = inPush.get(rec.id)
    if (mine) return mine
    const doc = await docs.load(rec.id, rec.headSeq, (after) => tx.logOf(rec.id, after))
    inPush.set(rec.id, doc)
    return doc
  }
  const reject = (caseId: CaseId, code: UpdateRejection, message: string) => {
    inPush.delete(caseId)
    docs.evict(caseId)
    acks.set(caseId, refusal(caseId, code, message))
  }

  for (let i = 0; i < req.header.updates.length; i++) {
    const caseId = req.header.updates[i]!
    const data = req.updates[i]!
    if (data.byteLength > MAX_UPDATE_BYTES) {
      acks.set(caseId, refusal(caseId, UpdateRejection.tooLarge, `one case update may be at most ${MAX_UPDATE_BYTES} bytes`))
      continue
    }
    let rec = cases.get(caseId)
    if (rec && !canRead(actor, rec.state)) {
      acks.set(caseId, refusal(caseId, UpdateRejection.outOfScope, 'this case is not in your scope'))
      continue
    }
    if (!rec && actor.role !== 'agent') {
      acks.set(caseId, refusal(caseId, UpdateRejection.unknownCase, 'no such case; only a village agent creates cases'))
      continue
    }
    const doc = rec ? await loadDoc(rec) : new Y.Doc({ guid: caseId })
    inPush.set(caseId, doc)
    dirtyDocs.add(caseId)
    let inspection
    try {
      inspection = applyAndInspect(doc, data)
    } catch (e) {
      reject(caseId, UpdateRejection.malformed, `not a Yjs update: ${(e as Error).message}`)
      continue
    }
    const judgement = judgeUpdate({ inspection, doc, actor, status: rec?.status ?? 'draft', isNew: !rec, caseId })
    if (!judgement.ok) {
      reject(caseId, judgement.code, judgement.message)
      continue
    }
    if (inspection.noop) {
      if (rec) acks.set(caseId, { caseId, ok: true })
      else reject(caseId, UpdateRejection.unknownCase, 'an empty update cannot create a case')
      continue
    }
    if (!rec) {
      const meta = readMeta(doc)
      const item = await ctx.item(meta.item!, meta.itemVersion!)
      if (!item) {
        reject(caseId, UpdateRejection.unknownItem, `no service item ${meta.item}@${meta.itemVersion}`)
        continue
      }
      if (created.has(meta.number!)) {
        reject(caseId, UpdateRejection.invalidMeta, `case number ${meta.number} is used twice in this batch`)
        continue
      }
      created.set(meta.number!, caseId)
      rec = newCaseRecord(caseId, doc, item, now)
    } else if (inspection.changes.some((c) => c.root === 'form')) {
      const item = await ctx.item(rec.itemCode, rec.itemVersion)
      if (item) rec = { ...rec, summary: summarise(doc, item) }
    }
    const seq = w.append(rec, data, 'client', rec.audience, actor, deviceId, now)
    const isNew = rec.headSeq === 0
    rec = { ...rec, headSeq: seq, updatedAt: now }
    cases.set(caseId, rec)
    w.cases.set(caseId, rec)
    // A new case is rarely touched again soon unless a command follows in this push: keeping
    // thousands of them would only churn the cache (and the garbage collector).
    if (!isNew || commanded.has(caseId)) docs.set(caseId, doc, seq)
    if (inspection.changes.some((c) => c.root === 'materials')) for (const hash of referencedBlobs(doc)) w.blobLinks.push({ caseId, hash })
    w.audit.push({ caseId, seq, userId: actor.userId, deviceId, action: isNew ? 'create' : 'update', detail: auditDetail(inspection.changes, isNew), at: now })
    acks.set(caseId, { caseId, ok: true })
  }

  // Case numbers are unique: a new case whose number is already stored is refused whole.
  if (created.size) {
    for (const number of await tx.takenNumbers([...created.keys()])) {
      const caseId = created.get(number)!
      w.drop(caseId)
      cases.delete(caseId)
      inPush.delete(caseId)
      reject(caseId, UpdateRejection.invalidMeta, `case number ${number} is already used by another case`)
    }
  }

  const answers: CommandAnswer[] = []
  const stored = await tx.getCommandResults(req.header.commands.map((c) => c.id))
  for (const pc of req.header.commands) {
    const previous = stored.get(pc.id)
    if (previous && previous.userId === actor.userId) {
      answers.push(JSON.parse(previous.result) as CommandAnswer)
      continue
    }
    if (previous) {
      answers.push({ id: pc.id, caseId: pc.caseId, ok: false, code: RefusalCode.invalidCommand, message: 'this command id is already taken; use a new one' })
      continue
    }
    const rec = cases.get(pc.caseId)
    if (!rec || !canRead(actor, rec.state)) {
      answers.push({ id: pc.id, caseId: pc.caseId, ok: false, code: 'unknown_case', message: 'no such case in your scope' })
      continue
    }
    const at = new Date(now).toISOString()
    const command = { ...pc.command, at } as Command
    let result = apply(rec.state, command, actor)
    // A device checks a case before taking it in; the server checks again, whatever the device did.
    if (result.ok && command.type === 'submit') {
      const item = await ctx.item(rec.itemCode, rec.itemVersion)
      const doc = await loadDoc(rec)
      const blocking = item ? blockingProblems(validateCase(item, readForm(doc), readMaterials(doc))) : []
      if (blocking.length)
        result = { ok: false, code: RefusalCode.incompleteCase, message: `the case is incomplete: ${blocking.map((p) => `${p.path} ${p.code}`).join(', ')}` }
    }
    let answer: CommandAnswer
    if (!result.ok) {
      answer = { id: pc.id, caseId: pc.caseId, ok: false, code: result.code, message: result.message }
    } else {
      const state = result.state
      const { type, at: _at, ...detail } = command
      const event: WorkflowEvent = { id: pc.id, type, at, by: actor.userId, role: actor.role, status: state.status, ...(Object.keys(detail).length ? { detail } : {}) }
      const doc = await loadDoc(rec)
      dirtyDocs.add(rec.id)
      const before = Y.encodeStateVector(doc)
      writeWorkflow(doc, state, event)
      let seq = w.append(rec, Y.encodeStateAsUpdate(doc, before), 'server', rec.audience, actor, deviceId, now)
      const audience = audienceOf(state)
      const gained = audience & ~rec.audience
      // A case entering a new scope is delivered there once, whole.
      if (gained) seq = w.append(rec, Y.encodeStateAsUpdate(doc), 'snapshot', gained, actor, deviceId, now)
      const next: CaseRecord = { ...rec, state, status: state.status, deadline: state.clock?.deadline ?? null, reachedCounty: state.reachedCounty, audience, headSeq: seq, updatedAt: now }
      cases.set(rec.id, next)
      w.cases.set(rec.id, next)
      docs.set(rec.id, doc, seq)
      answer = { id: pc.id, caseId: pc.caseId, ok: true, status: state.status }
    }
    w.commands.push({ id: pc.id, caseId: pc.caseId, userId: actor.userId, result: JSON.stringify(answer) })
    w.audit.push({ caseId: pc.caseId, seq: null, userId: actor.userId, deviceId, action: `command:${pc.command.type}`, detail: answer, at: now })
    answers.push(answer)
  }

  await w.flush(tx)
  const ackList = req.header.updates.map((id) => acks.get(id)!)
  const acked = ackList.filter((a) => a.ok).map((a) => a.caseId)
  const missingBlobs = acked.length ? await tx.missingBlobsOf(acked) : []
  return { acks: ackList, commands: answers, receipt: { cases: acked, missingBlobs }, touched: [...w.cases.values()], dirtyDocs: [...dirtyDocs] }
}
