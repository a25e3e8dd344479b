// Scan to open: a signed-in clerk's device sends the payload of a scanned paper and gets the case
// it belongs to, when the paper is genuine, received, and the case is in the clerk's scope.

import { canRead, DaibanError, ErrorCode, type Actor } from '../../src/core'
import type { Storage } from '../storage'
import { verifyPaper, type PaperVerdict } from './verify'
import { decodePaperPayload } from '../../src/core'
import { deviceByIssuer, paperOf } from './paper-store'

export interface OpenedPaper {
  verdict: PaperVerdict
  caseId: string | null
  caseNumber: string | null
}

export async function openPaper(ctx: { storage: Storage }, actor: Actor, input: { payload: string }): Promise<OpenedPaper> {
  const v = await verifyPaper(ctx, input.payload)
  if (v.verdict !== 'genuine') return { verdict: v.verdict, caseId: null, caseNumber: null }
  const p = decodePaperPayload(input.payload)!
  const device = (await deviceByIssuer(ctx.storage, p.issuer, p.device))!
  const paper = (await paperOf(ctx.storage, device.id, p.seq))!
  const rec = await ctx.storage.getCase(paper.caseId)
  if (!rec || !canRead(actor, rec.state)) throw new DaibanError(ErrorCode.notFound, 'this paper’s case is not in your scope')
  return { verdict: v.verdict, caseId: rec.id, caseNumber: rec.number }
}
