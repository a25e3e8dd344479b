// Compares what devices hold with what the server stored, case by case.
import { expect } from 'vitest'
import * as Y from 'yjs'
import { readForm, readMaterials, readNotes, readWorkflow, type CaseId } from '../../src/core'
import type { Device } from '../../src/sync/device'
import type { Storage } from '../../sync-server/storage'

export async function serverDoc(storage: Storage, caseId: CaseId): Promise<Y.Doc> {
  const doc = new Y.Doc()
  const log = await storage.caseLog(caseId)
  if (log.length) Y.applyUpdate(doc, Y.mergeUpdates(log.map((e) => e.data)))
  return doc
}

export function contentOf(doc: Y.Doc) {
  const wf = readWorkflow(doc)
  return { form: readForm(doc), materials: readMaterials(doc), notes: readNotes(doc), state: wf.state, events: wf.events }
}

/** Every case a device can see holds exactly what the server holds. */
export async function expectConverged(storage: Storage, devices: Device[], caseIds: CaseId[]): Promise<void> {
  for (const caseId of caseIds) {
    const expected = contentOf(await serverDoc(storage, caseId))
    for (const d of devices) {
      if (!(await d.db.cases.get(caseId))) continue
      d.store.forget(caseId)
      expect(contentOf(await d.store.doc(caseId)), `case ${caseId} on ${d.identity.role}`).toEqual(expected)
    }
  }
}
