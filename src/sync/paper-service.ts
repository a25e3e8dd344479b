// Prints a paper of a case on the device: builds its content from the device's copy of the case
// (core/paper-build.ts), decides whether it is a reprint (a paper of this kind was printed since
// its event), and issues it (paper-signer.ts). What the UI gets back is all it renders.

import { buildPaperContent, isReprint, paperEventAt, paperNotes, readForm, readMaterials, readMeta, readNotes, readWorkflow, type CaseId, type PaperContent, type PaperKind } from '../core'
import type { CaseStore } from '../store/case-store'
import { getValue, type DaibanDB } from '../store/db'
import { issuePaper } from './paper-signer'

export interface PrintedPaper {
  content: PaperContent
  payload: string
  seq: number
}

export interface PaperEnv {
  db: DaibanDB
  store: CaseStore
  /** The signed-in person's name (the agent on a receipt). */
  displayName: string
  sign(data: Uint8Array): Promise<Uint8Array>
  now?: () => Date
}

export async function printCasePaper(env: PaperEnv, caseId: CaseId, kind: PaperKind): Promise<PrintedPaper> {
  const { db, store } = env
  const now = env.now?.() ?? new Date()
  const doc = await store.doc(caseId)
  const meta = readMeta(doc)
  const item = meta.item ? await db.catalogue.get([meta.item, meta.itemVersion ?? 1]) : undefined
  if (!item) throw new Error('the item of this case is not on the device')
  const names = new Map(((await getValue<{ code: string; name: string }[]>(db, 'org.names')) ?? []).map((n) => [n.code, n.name]))
  const workflow = readWorkflow(doc)
  // Taken in offline: the submit command waits in the outbox with the time it was given.
  const pendingSubmit = await db.outbox.where('caseId').equals(caseId).filter((o) => o.command.type === 'submit').first()
  const takenInAt = pendingSubmit?.command.at ?? now.toISOString()
  const eventAt = paperEventAt(kind, workflow.events, takenInAt)
  const printed = paperNotes(readNotes(doc)).map((n) => ({ kind: n.paper.kind, at: n.paper.issuedAt }))
  const content = buildPaperContent({
    kind,
    meta,
    form: readForm(doc),
    materials: readMaterials(doc),
    workflow,
    item,
    names,
    agentName: env.displayName,
    takenInAt,
    reprint: isReprint(kind, eventAt, printed),
  })
  const issued = await issuePaper(db, store, env.sign, caseId, content, now)
  return { content, payload: issued.payload, seq: issued.record.seq }
}
