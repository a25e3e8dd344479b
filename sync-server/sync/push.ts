// Applies one push inside one database transaction, in phases, each check in one place:
// 1. judge updates: every case update is checked against the sender's rights on the case document
//    and queued for the log; 2. case numbers already taken are refused; 3. run commands: every
//    command is checked against its exact schema and runs through the core state machine in
//    arrival order; 4. write: the server builds each workflow event itself from validated fields,
//    bounds it, and appends it to the case document as a server-authored update. All writes are
//    flushed in bulk at the end. Acknowledged means committed.

import * as Y from 'yjs'
import {
  apply,
  applyAndInspect,
  commandDetail,
  commandProblem,
  jsonDepth,
  audienceOf,
  canRead,
  judgeUpdate,
  readMeta,
  readForm,
  readMaterials,
  blockingProblems,
  validateCase,
  RefusalCode,
  referencedBlobs,
  UpdateRejection,
  writeWorkflow,
  type Actor,
  type CaseId,
  type Command,
  type CommandAnswer,
  type KeyChange,
  type PushCommand,
  type ServiceItem,
  type SyncRequest,
  type UpdateAck,
  type VillageCode,
  type WorkflowEvent,
  type WorkflowState,
} from '../../src/core'
import type { CaseRecord, SyncTx } from '../storage'
import type { DocCache } from './doc-cache'
import { PendingWrites } from './pending-writes'
import { summarise } from './summary'
import { newCaseRecord } from './case-record'
import { foreignBlobs } from '../auth/blob-access'
import { paperRows } from '../paper/paper-intake'

export const MAX_UPDATE_BYTES = 1024 * 1024
/** What one command may add to a case document (its new state and event, as JSON). */
export const MAX_SERVER_WRITE_BYTES = 256 * 1024
/** How deep the state and event the server writes may nest. */
export const MAX_SERVER_WRITE_DEPTH = 8

export interface PushContext {
  tx: SyncTx
  docs: DocCache
  actor: Actor
  deviceId: string
  now: number
  item(code: string, version: number): Promise<ServiceItem | undefined>
  /** How long a clerk's claim lives without a command from the clerk. */
  claimLeaseMs?: number
  /** Working days to answer a bad rating; the due day is fixed when the rating arrives. */
  followUpDays?: number
  /** The sender's display name (recorded with a claim). */
  senderName?: string
  /** The sending device's enrolment scope and number: the only issuer its paper records may name. */
  paperIssuer?: { issuer: string; device: number } | null
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

function newCaseRecordFrom(caseId: CaseId, doc: Y.Doc, item: ServiceItem, now: number): CaseRecord {
  const meta = readMeta(doc)
  return newCaseRecord({ id: caseId, number: meta.number!, village: meta.village as VillageCode, item, summary: summarise(doc, item), now })
}

/** Why the server will not write a state or event (bounded size and depth), or null. */
export function serverWriteProblem(state: WorkflowState, event: WorkflowEvent): string | null {
  const bytes = Buffer.byteLength(JSON.stringify({ state, event }))
  if (bytes > MAX_SERVER_WRITE_BYTES) return `the command would add ${bytes} bytes to the case (at most ${MAX_SERVER_WRITE_BYTES})`
  if (jsonDepth(state, MAX_SERVER_WRITE_DEPTH) > MAX_SERVER_WRITE_DEPTH || jsonDepth(event, MAX_SERVER_WRITE_DEPTH) > MAX_SERVER_WRITE_DEPTH)
    return `the command's result nests deeper than ${MAX_SERVER_WRITE_DEPTH} levels`
  return null
}

type Refused = { ok: false; code: RefusalCode | 'unknown_case'; message: string }

/** One push: the state its phases share. */
class PushRun {
  readonly w: PendingWrites
  readonly acks = new Map<CaseId, UpdateAck>()
  readonly dirtyDocs = new Set<string>()
  /** Case number → case id, for cases created in this push. */
  private readonly created = new Map<string, CaseId>()
  private readonly commanded: Set<string>
  // Documents this push has changed: its log entries are written only at the end, so the shared
  // cache (which may evict them meanwhile) and the log cannot stand in for them until then.
  private readonly inPush = new Map<string, Y.Doc>()

  constructor(
    private readonly ctx: PushContext,
    private readonly req: SyncRequest,
    readonly cases: Map<string, CaseRecord>,
    headSeq: number,
  ) {
    this.w = new PendingWrites(headSeq)
    this.commanded = new Set(req.header.commands.map((c) => c.caseId))
  }

  private async loadDoc(rec: CaseRecord): Promise<Y.Doc> {
    const mine = this.inPush.get(rec.id)
    if (mine) return mine
    const doc = await this.ctx.docs.load(rec.id, rec.headSeq, (after) => this.ctx.tx.logOf(rec.id, after))
    this.inPush.set(rec.id, doc)
    return doc
  }

  private reject(caseId: CaseId, code: UpdateRejection, message: string): void {
    this.inPush.delete(caseId)
    this.ctx.docs.evict(caseId)
    this.acks.set(caseId, refusal(caseId, code, message))
  }

  // Phase 1: judge updates.

  async judgeUpdates(): Promise<void> {
    const { header, updates } = this.req
    for (let i = 0; i < header.updates.length; i++) await this.judgeUpdate(header.updates[i]!, updates[i]!)
  }

  private async judgeUpdate(caseId: CaseId, data: Uint8Array): Promise<void> {
    const { actor, docs, deviceId, now } = this.ctx
    if (data.byteLength > MAX_UPDATE_BYTES)
      return void this.acks.set(caseId, refusal(caseId, UpdateRejection.tooLarge, `one case update may be at most ${MAX_UPDATE_BYTES} bytes`))
    let rec = this.cases.get(caseId)
    if (rec && !canRead(actor, rec.state)) return void this.acks.set(caseId, refusal(caseId, UpdateRejection.outOfScope, 'this case is not in your scope'))
    if (!rec && actor.role !== 'agent')
      return void this.acks.set(caseId, refusal(caseId, UpdateRejection.unknownCase, 'no such case; only a village agent creates cases'))
    const doc = rec ? await this.loadDoc(rec) : new Y.Doc({ guid: caseId })
    this.inPush.set(caseId, doc)
    this.dirtyDocs.add(caseId)
    let inspection
    try {
      inspection = applyAndInspect(doc, data)
    } catch (e) {
      return this.reject(caseId, UpdateRejection.malformed, `not a Yjs update: ${(e as Error).message}`)
    }
    const judgement = judgeUpdate({ inspection, doc, actor, status: rec?.status ?? 'draft', isNew: !rec, caseId })
    if (!judgement.ok) return this.reject(caseId, judgement.code, judgement.message)
    if (inspection.noop) {
      if (rec) this.acks.set(caseId, { caseId, ok: true })
      else this.reject(caseId, UpdateRejection.unknownCase, 'an empty update cannot create a case')
      return
    }
    // A photo is named only by one who uploaded it or may already see it (never by hash alone).
    if (inspection.changes.some((c) => c.root === 'materials')) {
      const foreign = await foreignBlobs(this.ctx.tx, actor, caseId, referencedBlobs(doc))
      if (foreign.length) return this.reject(caseId, UpdateRejection.outOfScope, `materials name a photo this account did not upload: ${foreign[0]}`)
    }
    if (!rec) {
      const meta = readMeta(doc)
      const item = await this.ctx.item(meta.item!, meta.itemVersion!)
      if (!item) return this.reject(caseId, UpdateRejection.unknownItem, `no service item ${meta.item}@${meta.itemVersion}`)
      if (this.created.has(meta.number!)) return this.reject(caseId, UpdateRejection.invalidMeta, `case number ${meta.number} is used twice in this batch`)
      this.created.set(meta.number!, caseId)
      rec = newCaseRecordFrom(caseId, doc, item, now)
    } else if (inspection.changes.some((c) => c.root === 'form')) {
      const item = await this.ctx.item(rec.itemCode, rec.itemVersion)
      if (item) rec = { ...rec, summary: summarise(doc, item) }
    }
    const papers = paperRows(this.ctx, caseId, inspection.changes, doc)
    if (typeof papers === 'string') return this.reject(caseId, UpdateRejection.invalidNote, papers)
    this.w.papers.push(...papers)
    const seq = this.w.append(rec, data, 'client', rec.audience, actor, deviceId, now)
    const isNew = rec.headSeq === 0
    rec = { ...rec, headSeq: seq, updatedAt: now }
    this.cases.set(caseId, rec)
    this.w.cases.set(caseId, rec)
    // A new case is rarely touched again soon unless a command follows in this push: keeping
    // thousands of them would only churn the cache (and the garbage collector).
    if (!isNew || this.commanded.has(caseId)) docs.set(caseId, doc, seq)
    if (inspection.changes.some((c) => c.root === 'materials')) for (const hash of referencedBlobs(doc)) this.w.blobLinks.push({ caseId, hash })
    this.w.audit.push({ caseId, seq, userId: actor.userId, deviceId, action: isNew ? 'create' : 'update', detail: auditDetail(inspection.changes, isNew), at: now })
    // Each print of each paper is in the audit trail (who printed it is the note's author, the sender).
    for (const p of papers)
      this.w.audit.push({ caseId, seq, userId: actor.userId, deviceId, action: p.reprint ? 'paper:reprint' : 'paper:print', detail: { kind: p.kind, paperSeq: p.seq, digest: p.digest }, at: now })
    this.acks.set(caseId, { caseId, ok: true })
  }

  // Phase 2: case numbers are unique; a new case whose number is already stored is refused whole.

  async refuseTakenNumbers(): Promise<void> {
    if (!this.created.size) return
    for (const number of await this.ctx.tx.takenNumbers([...this.created.keys()])) {
      const caseId = this.created.get(number)!
      this.w.drop(caseId)
      this.cases.delete(caseId)
      this.reject(caseId, UpdateRejection.invalidMeta, `case number ${number} is already used by another case`)
    }
  }

  // Phase 3: run commands, in arrival order.

  async runCommands(): Promise<CommandAnswer[]> {
    const { actor, deviceId, now } = this.ctx
    const commands = this.req.header.commands
    const stored = await this.ctx.tx.getCommandResults(commands.map((c) => c.id))
    const answers: CommandAnswer[] = []
    for (const pc of commands) {
      const previous = stored.get(pc.id)
      if (previous && previous.userId === actor.userId) {
        answers.push(JSON.parse(previous.result) as CommandAnswer)
        continue
      }
      if (previous) {
        answers.push({ id: pc.id, caseId: pc.caseId, ok: false, code: RefusalCode.invalidCommand, message: 'this command id is already taken; use a new one' })
        continue
      }
      const outcome = await this.runCommand(pc)
      const answer: CommandAnswer = outcome.ok
        ? { id: pc.id, caseId: pc.caseId, ok: true, status: outcome.status }
        : { id: pc.id, caseId: pc.caseId, ok: false, code: outcome.code, message: outcome.message }
      // Only a type that passed the schema is named in the audit trail.
      const type = outcome.type ?? 'invalid'
      this.w.commands.push({ id: pc.id, caseId: pc.caseId, userId: actor.userId, result: JSON.stringify(answer) })
      this.w.audit.push({ caseId: pc.caseId, seq: null, userId: actor.userId, deviceId, action: `command:${type}`, detail: answer, at: now })
      answers.push(answer)
    }
    return answers
  }

  private async runCommand(pc: PushCommand): Promise<({ ok: true; status: string } | Refused) & { type?: Command['type'] }> {
    const { actor, now } = this.ctx
    const rec = this.cases.get(pc.caseId)
    if (!rec || !canRead(actor, rec.state)) return { ok: false, code: 'unknown_case', message: 'no such case in your scope' }
    const at = new Date(now).toISOString()
    // The server stamps `at`; the rest of the payload must be the command's schema exactly.
    const payload = { ...(pc.command as unknown as Record<string, unknown>), at }
    const problem = commandProblem(payload)
    if (problem) return { ok: false, code: RefusalCode.invalidCommand, message: problem }
    const command = payload as unknown as Command
    const name = this.ctx.senderName
    const result = apply(rec.state, command, actor, {
      ...(this.ctx.claimLeaseMs ? { leaseMs: this.ctx.claimLeaseMs } : {}),
      ...(this.ctx.followUpDays ? { followUpDays: this.ctx.followUpDays } : {}),
      ...(name ? { name } : {}),
    })
    if (!result.ok) return { ok: false, code: result.code, message: result.message, type: command.type }
    // A device checks a case before taking it in; the server checks again, whatever the device did.
    if (command.type === 'submit') {
      const incomplete = await this.incompleteProblem(rec)
      if (incomplete) return { ok: false, code: RefusalCode.incompleteCase, message: incomplete, type: command.type }
    }
    const event = eventOf(pc.id, command, result.state, rec.state, actor, at)
    const unwritable = serverWriteProblem(result.state, event ?? ({} as WorkflowEvent))
    if (unwritable) return { ok: false, code: RefusalCode.invalidCommand, message: unwritable, type: command.type }
    await this.writeWorkflow(rec, result.state, event)
    return { ok: true, status: result.state.status, type: command.type }
  }

  private async incompleteProblem(rec: CaseRecord): Promise<string | null> {
    const item = await this.ctx.item(rec.itemCode, rec.itemVersion)
    const doc = await this.loadDoc(rec)
    const blocking = item ? blockingProblems(validateCase(item, readForm(doc), readMaterials(doc))) : []
    return blocking.length ? `the case is incomplete: ${blocking.map((p) => `${p.path} ${p.code}`).join(', ')}` : null
  }

  // Phase 4: write the new state and the server-built event into the case document and the log.

  private async writeWorkflow(rec: CaseRecord, state: WorkflowState, event: WorkflowEvent | null): Promise<void> {
    const { actor, deviceId, now, docs } = this.ctx
    const doc = await this.loadDoc(rec)
    this.dirtyDocs.add(rec.id)
    const before = Y.encodeStateVector(doc)
    writeWorkflow(doc, state, event)
    let seq = this.w.append(rec, Y.encodeStateAsUpdate(doc, before), 'server', rec.audience, actor, deviceId, now)
    const audience = audienceOf(state)
    const gained = audience & ~rec.audience
    // A case entering a new scope is delivered there once, whole.
    if (gained) seq = this.w.append(rec, Y.encodeStateAsUpdate(doc), 'snapshot', gained, actor, deviceId, now)
    const next: CaseRecord = { ...rec, state, status: state.status, deadline: state.clock?.deadline ?? null, reachedCounty: state.reachedCounty, audience, headSeq: seq, updatedAt: now }
    this.cases.set(rec.id, next)
    this.w.cases.set(rec.id, next)
    docs.set(rec.id, doc, seq)
  }

  async finish(answers: CommandAnswer[]): Promise<PushOutcome> {
    const { tx } = this.ctx
    await this.w.flush(tx)
    const ackList = this.req.header.updates.map((id) => this.acks.get(id)!)
    const acked = ackList.filter((a) => a.ok).map((a) => a.caseId)
    const missingBlobs = acked.length ? await tx.missingBlobsOf(acked) : []
    return { acks: ackList, commands: answers, receipt: { cases: acked, missingBlobs }, touched: [...this.w.cases.values()], dirtyDocs: [...this.dirtyDocs] }
  }
}

/**
 * The history entry of an applied command, built only from fields the server checked. A claim
 * renewed by its holder changes the lease, not the history: no event.
 */
function eventOf(id: string, c: Command, state: WorkflowState, before: WorkflowState, actor: Actor, at: string): WorkflowEvent | null {
  if (c.type === 'claim' && !c.takeOver && before.claim?.userId === actor.userId && Date.parse(before.claim.until) > Date.parse(at)) return null
  const detail = commandDetail(c)
  return { id, type: c.type, at, by: actor.userId, role: actor.role, status: state.status, ...(detail ? { detail } : {}) }
}

export async function applyPush(ctx: PushContext, req: SyncRequest): Promise<PushOutcome> {
  const ids = [...new Set([...req.header.updates, ...req.header.commands.map((c) => c.caseId)])]
  const run = new PushRun(ctx, req, await ctx.tx.getCases(ids), await ctx.tx.headSeq())
  await run.judgeUpdates()
  await run.refuseTakenNumbers()
  const answers = await run.runCommands()
  return run.finish(answers)
}
