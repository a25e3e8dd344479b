// The verdict on a scanned paper (issue: paper for residents). Anyone may ask, without signing
// in, so the answer holds nothing personal beyond the masked name the paper already shows.
//
//   genuine            signature valid, device known, the paper was received and its digest matches
//   genuine_unsynced   signature valid from an active device, the server has not received it yet
//   device_lost        the device was revoked and the sequence is above the highest received before
//   not_genuine        malformed payload, unknown device, bad signature, or a different digest
//
// The issue time is checked against the device's clock offset; a doubtful time is flagged, never
// a reason to reject.

import { caseDue, decodePaperPayload, toHex, type CaseStatus } from '../../src/core'
import type { Storage } from '../storage'
import { clockOffsetOf, deviceByIssuer, paperOf } from './paper-store'
import { paperSignatureValid } from './signature'

export const PaperVerdicts = ['genuine', 'genuine_unsynced', 'device_lost', 'not_genuine'] as const
export type PaperVerdict = (typeof PaperVerdicts)[number]
export type NotGenuineReason = 'malformed' | 'unknown_device' | 'bad_signature' | 'digest_mismatch'

/** How far a paper's issue time may stray from the server's view of the device clock. */
export const CLOCK_TOLERANCE_MS = 10 * 60_000

export interface PaperCaseView {
  number: string
  itemName: string
  applicant: string
  status: CaseStatus
  due: string | null
  dueEstimated: boolean
  dueKind: string
}

export interface PaperVerification {
  verdict: PaperVerdict
  reason?: NotGenuineReason
  /** ISO, as the device's clock said. */
  issuedAt?: string
  kind?: string
  reprint?: boolean
  /** The issue time looks wrong for the device's clock. */
  clockSuspect: boolean
  case?: PaperCaseView
}

const notGenuine = (reason: NotGenuineReason): PaperVerification => ({ verdict: 'not_genuine', reason, clockSuspect: false })

export async function verifyPaper(ctx: { storage: Storage }, payloadText: string, now: number = Date.now()): Promise<PaperVerification> {
  const p = decodePaperPayload(payloadText)
  if (!p) return notGenuine('malformed')
  const device = await deviceByIssuer(ctx.storage, p.issuer, p.device)
  if (!device) return notGenuine('unknown_device')
  if (!paperSignatureValid(device.publicKey, p)) return notGenuine('bad_signature')
  const issuedMs = p.issuedAt * 1000
  const issuedAt = new Date(issuedMs).toISOString()
  const paper = await paperOf(ctx.storage, device.id, p.seq)
  const clock = await clockOffsetOf(ctx.storage, device.id)
  // The issue time on the server's clock, as far as the device's last measured offset tells.
  const serverIssued = issuedMs - (clock?.offsetMs ?? 0)
  const clockSuspect =
    serverIssued > now + CLOCK_TOLERANCE_MS ||
    serverIssued < device.createdAt - CLOCK_TOLERANCE_MS ||
    (paper !== undefined && serverIssued > paper.receivedAt + CLOCK_TOLERANCE_MS) ||
    (clock !== undefined && Math.abs(clock.offsetMs) > CLOCK_TOLERANCE_MS)
  if (paper) {
    if (paper.digest !== toHex(p.digest)) return notGenuine('digest_mismatch')
    const rec = await ctx.storage.getCase(paper.caseId)
    const out: PaperVerification = { verdict: 'genuine', issuedAt, kind: paper.kind, reprint: paper.reprint, clockSuspect }
    if (rec) {
      const due = caseDue(rec.state, rec.routing?.submittedOn ?? null)
      out.case = {
        number: rec.number,
        itemName: rec.summary.itemName,
        applicant: rec.summary.applicant,
        status: rec.status,
        due: due.kind === 'none' ? null : due.due,
        dueEstimated: due.estimated,
        dueKind: due.kind,
      }
    }
    return out
  }
  if (device.revokedAt !== null && p.seq > (device.highestPaperSeqAtRevocation ?? 0)) return { verdict: 'device_lost', issuedAt, clockSuspect }
  return { verdict: 'genuine_unsynced', issuedAt, clockSuspect }
}
