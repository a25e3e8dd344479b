// Applies one push inside one database transaction: every case update is checked against the
// sender's rights on a copy of the case and appended to the log, then every command runs through
// the core state machine in arrival order and its effect is written into the case document as a
// server-authored update. Acknowledged means committed.

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
  referencedBlobs,
  townshipOf,
  UpdateRejection,
  writeWorkflow,
  type Actor,
  type CaseId,
  type Command,
  type CommandAnswer,
  type ServiceItem,
  type SyncRequest,
  type UpdateAck,
  type VillageCode,
  type WorkflowEvent,
} from '../../src/core'
import type { AuditEntry, CaseRecord, LogOrigin, SyncTx } from '../storage'
import type { DocCache } from './doc-cache'
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

const refusal = (caseId: CaseId, code: UpdateRejection, message: string): UpdateAck => ({ caseId, ok: false, code, message })

export async function applyPush(ctx: PushContext, req: SyncRequest): Promise<PushOutcome> {
  const { tx, docs, actor, deviceId, now } = ctx
  const ids = [...new Set([...req.header.updates, ...req.header.commands.map((c) => c.caseId)])]
  const cases = await tx.getCases(ids)
  const acks: UpdateAck[] = []
  const answers: CommandAnswer[] = []
  const audit: AuditEntry[] = []
  const touched = new Map<string, CaseRecord>()
  const dirtyDocs = new Set<string>()
  const blobLinks: { caseId: string; hash: string }[] = []
  const acked: CaseId[] = []

  const append = async (rec: CaseRecord, data: Uint8Array, origin: LogOrigin, audience = rec.audience) =>
    tx.append({ caseId: rec.id, village: rec.village, township: rec.township, county: rec.county, audience, origin, deviceId, userId: actor.userId, data, createdAt: now })
  const loadDoc = (rec: CaseRecord) => docs.load(rec.id, rec.headSeq, (after) => tx.logOf(rec.id, after))

  for (let i = 0; i < req.header.updates.length; i++) {
    const caseId = req.header.updates[i]!
    const data = req.updates[i]!
    if (data.byteLength > MAX_UPDATE_BYTES) {
      acks.push(refusal(caseId, UpdateRejection.tooLarge, `one case update may be at most ${MAX_UPDATE_BYTES} bytes`))
      continue
    }
    let rec = cases.get(caseId)
    if (rec && !canRead(actor, rec.state)) {
      acks.push(refusal(caseId, UpdateRejection.outOfScope, 'this case is not in your scope'))
      continue
    }
    if (!rec && actor.role !== 'agent') {
      acks.push(refusal(caseId, UpdateRejection.unknownCase, 'no such case; only a village agent creates cases'))
      continue
    }
    const doc = rec ? await loadDoc(rec) : new Y.Doc({ gc: true })
    dirtyDocs.add(caseId)
    let inspection
    try {
      inspection = applyAndInspect(doc, data)
    } catch (e) {
      docs.evict(caseId)
      acks.push(refusal(caseId, UpdateRejection.malformed, `not a Yjs update: ${(e as Error).message}`))
      continue
    }
    const judgement = judgeUpdate({ inspection, doc, actor, status: rec?.status ?? 'draft', isNew: !rec, caseId })
    if (!judgement.ok) {
      docs.evict(caseId)
      acks.push(refusal(caseId, judgement.code, judgement.message))
      continue
    }
    if (inspection.noop) {
      if (rec) {
        acks.push({ caseId, ok: true })
        acked.push(caseId)
      } else {
        docs.evict(caseId)
        acks.push(refusal(caseId, UpdateRejection.unknownCase, 'an empty update cannot create a case'))
      }
      continue
    }
    let item: ServiceItem | undefined
    if (!rec) {
      const meta = readMeta(doc)
      item = await ctx.item(meta.item!, meta.itemVersion!)
      if (!item) {
        docs.evict(caseId)
        acks.push(refusal(caseId, UpdateRejection.unknownItem, `no service item ${meta.item}@${meta.itemVersion}`))
        continue
      }
      if (await tx.numberTaken(meta.number!)) {
        docs.evict(caseId)
        acks.push(refusal(caseId, UpdateRejection.invalidMeta, `case number ${meta.number} is already used by another case`))
        continue
      }
      const village = meta.village as VillageCode
      const state = initialWorkflow(village, {
        level: item.level,
        kind: item.kind,
        limitDays: item.promisedLimitDays,
        correctionClock: item.correctionClock,
        department: item.department,
      })
      rec = {
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
    const seq = await append(rec, data, 'client')
    const isNew = rec.headSeq === 0
    const formChanged = inspection.changes.some((c) => c.root === 'form' || c.root === 'meta')
    if (formChanged && !isNew) {
      item = await ctx.item(rec.itemCode, rec.itemVersion)
      if (item) rec = { ...rec, summary: summarise(doc, item) }
    }
    rec = { ...rec, headSeq: seq, updatedAt: now }
    if (isNew) await tx.insertCase(rec)
    else await tx.updateCase(rec)
    cases.set(caseId, rec)
    touched.set(caseId, rec)
    docs.set(caseId, doc, seq)
    if (inspection.changes.some((c) => c.root === 'materials')) for (const hash of referencedBlobs(doc)) blobLinks.push({ caseId, hash })
    audit.push({
      caseId,
      seq,
      userId: actor.userId,
      deviceId,
      action: isNew ? 'create' : 'update',
      detail: { changes: inspection.changes.map((c) => `${c.action} ${c.root}.${c.key}`) },
      at: now,
    })
    acks.push({ caseId, ok: true })
    acked.push(caseId)
  }

  for (const pc of req.header.commands) {
    const stored = await tx.getCommandResult(pc.id)
    if (stored) {
      answers.push(JSON.parse(stored) as CommandAnswer)
      continue
    }
    const rec = cases.get(pc.caseId)
    if (!rec || !canRead(actor, rec.state)) {
      answers.push({ id: pc.id, caseId: pc.caseId, ok: false, code: 'unknown_case', message: 'no such case in your scope' })
      continue
    }
    const at = new Date(now).toISOString()
    const command = { ...pc.command, at } as Command
    const result = apply(rec.state, command, actor)
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
      const update = Y.encodeStateAsUpdate(doc, before)
      const audience = audienceOf(state)
      let seq = await append(rec, update, 'server', rec.audience)
      const gained = audience & ~rec.audience
      // A case entering a new scope is delivered there once, whole.
      if (gained) seq = await append(rec, Y.encodeStateAsUpdate(doc), 'snapshot', gained)
      const next: CaseRecord = {
        ...rec,
        state,
        status: state.status,
        deadline: state.clock?.deadline ?? null,
        reachedCounty: state.reachedCounty,
        audience,
        headSeq: seq,
        updatedAt: now,
      }
      await tx.updateCase(next)
      cases.set(rec.id, next)
      touched.set(rec.id, next)
      docs.set(rec.id, doc, seq)
      answer = { id: pc.id, caseId: pc.caseId, ok: true, status: state.status }
    }
    await tx.putCommandResult(pc.id, pc.caseId, actor.userId, JSON.stringify(answer))
    audit.push({ caseId: pc.caseId, seq: null, userId: actor.userId, deviceId, action: `command:${pc.command.type}`, detail: answer, at: now })
    answers.push(answer)
  }

  if (blobLinks.length) await tx.linkBlobs(blobLinks)
  if (audit.length) await tx.audit(audit)
  const referenced = new Set<string>()
  for (const caseId of acked) {
    const cached = docs.peek(caseId)
    if (cached) for (const h of referencedBlobs(cached.doc)) referenced.add(h)
  }
  const missingBlobs = await tx.missingBlobs([...referenced])
  return { acks, commands: answers, receipt: { cases: acked, missingBlobs }, touched: [...touched.values()], dirtyDocs: [...dirtyDocs] }
}
