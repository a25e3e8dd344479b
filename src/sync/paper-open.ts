// Scan to open: what a scanned QR code or a typed case number leads to. A paper's payload is sent
// to the server (GET /api/papers/<payload>), which answers with the case when the paper is
// genuine and the case in the clerk's scope; a case number is looked up on the device first.

import { decodePaperPayload, parseCaseNumber } from '../core'
import type { DaibanDB } from '../store/db'
import type { ServerReads } from './server-reads'

export type PaperOpen =
  | { kind: 'case'; ref: string }
  | { kind: 'verdict'; verdict: 'genuine_unsynced' | 'device_lost' | 'not_genuine' }
  | { kind: 'offline' }
  | { kind: 'not_found' }
  | { kind: 'bad_number' }
  | { kind: 'not_paper' }

/** The payload of a verification URL (…/v/<payload>) or of a bare payload; null for anything else. */
export function payloadOf(text: string): string | null {
  const m = /(?:^|\/v\/)([A-Za-z0-9_-]{128})(?:[?#].*)?$/.exec(text.trim())
  return m && decodePaperPayload(m[1]!) ? m[1]! : null
}

export async function openFromScan(r: ServerReads, text: string): Promise<PaperOpen> {
  const payload = payloadOf(text)
  if (!payload) return { kind: 'not_paper' }
  if (!r.online) return { kind: 'offline' }
  try {
    const res = await (r.fetch ?? fetch)(`${r.baseUrl}/api/papers/${payload}`, { headers: { authorization: `Bearer ${r.token}` } })
    if (res.status === 404) return { kind: 'not_found' }
    if (!res.ok) return { kind: 'offline' }
    const body = (await res.json()) as { verdict?: string; caseId?: string | null }
    if (body.verdict === 'genuine' && typeof body.caseId === 'string') return { kind: 'case', ref: body.caseId }
    if (body.verdict === 'genuine_unsynced' || body.verdict === 'device_lost' || body.verdict === 'not_genuine') return { kind: 'verdict', verdict: body.verdict }
    return { kind: 'not_found' }
  } catch {
    return { kind: 'offline' }
  }
}

/** A typed case number: the device's own case when it holds it, else the server's (by number). */
export async function openFromNumber(db: DaibanDB, typed: string): Promise<PaperOpen> {
  const parsed = parseCaseNumber(typed)
  if (!parsed) return { kind: 'bad_number' }
  const local = await db.cases.where('number').equals(parsed.caseNumber).first()
  return { kind: 'case', ref: local?.id ?? parsed.caseNumber }
}
