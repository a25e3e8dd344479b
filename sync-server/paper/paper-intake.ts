// Paper records arriving with a case update (notes with a paper id, see core/paper-record.ts):
// each must name the sending device as its issuer, and becomes a row of the papers index,
// written in the same transaction as the update that carried it.

import type * as Y from 'yjs'
import { isPaperNoteId, paperRecordProblem, root, type CaseId, type KeyChange, type PaperNote } from '../../src/core'
import type { PaperRow, Storage } from '../storage'

export interface PaperIssuer {
  issuer: string
  device: number
}

/** The scope and number of an enrolled device, as its papers name it. */
export async function issuerOf(storage: Storage, deviceId: string): Promise<PaperIssuer | null> {
  const d = await storage.getDevice(deviceId)
  return d ? { issuer: d.villageCode, device: d.deviceNumber } : null
}

/** The paper rows an accepted update adds, or why the update must be refused. */
export function paperRows(
  ctx: { deviceId: string; now: number; paperIssuer?: PaperIssuer | null },
  caseId: CaseId,
  changes: readonly KeyChange[],
  doc: Y.Doc,
): PaperRow[] | string {
  const rows: PaperRow[] = []
  for (const c of changes) {
    if (c.root !== 'notes' || c.action !== 'add' || !isPaperNoteId(c.key)) continue
    const note = root(doc, 'notes').get(c.key) as PaperNote
    const problem = paperRecordProblem(c.key, note)
    if (problem) return problem
    const p = note.paper
    const me = ctx.paperIssuer
    if (!me || me.issuer !== p.issuer || me.device !== p.device) return `paper ${c.key} names another device than the one that sent it`
    rows.push({
      deviceId: ctx.deviceId,
      seq: p.seq,
      digest: p.digest,
      caseId,
      kind: p.kind,
      reprint: p.reprint,
      issuedBy: note.by,
      issuedAt: Date.parse(p.issuedAt),
      receivedAt: ctx.now,
    })
  }
  return rows
}
