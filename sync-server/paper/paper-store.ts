// Reads and writes of the paper tables (migration 060) outside the log transaction.

import type { Storage } from '../storage'
import { dbOf } from '../admin/db'

export interface IssuingDevice {
  id: string
  publicKey: string
  createdAt: number
  revokedAt: number | null
  highestPaperSeqAtRevocation: number | null
}

export interface PaperIndexRow {
  caseId: string
  seq: number
  digest: string
  kind: string
  reprint: boolean
  issuedAt: number
  receivedAt: number
}

/** The device enrolled in `issuer` with `number` (device numbers count per enrolment scope). */
export async function deviceByIssuer(storage: Storage, issuer: string, number: number): Promise<IssuingDevice | undefined> {
  const r = await dbOf(storage).selectFrom('devices').selectAll().where('village_code', '=', issuer).where('device_number', '=', number).executeTakeFirst()
  if (!r) return undefined
  const n = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v))
  return { id: r.id, publicKey: r.public_key, createdAt: Number(r.created_at), revokedAt: n(r.revoked_at), highestPaperSeqAtRevocation: n(r.highest_paper_seq_at_revocation) }
}

export async function paperOf(storage: Storage, deviceId: string, seq: number): Promise<PaperIndexRow | undefined> {
  const r = await dbOf(storage).selectFrom('papers').selectAll().where('device_id', '=', deviceId).where('seq', '=', seq).executeTakeFirst()
  if (!r) return undefined
  return { caseId: r.case_id, seq: Number(r.seq), digest: r.digest, kind: r.kind, reprint: r.reprint === 1, issuedAt: Number(r.issued_at), receivedAt: Number(r.received_at) }
}

/** The highest paper sequence received from a device so far (0 when none). */
export async function highestPaperSeq(storage: Storage, deviceId: string): Promise<number> {
  const r = await dbOf(storage).selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).where('device_id', '=', deviceId).executeTakeFirst()
  return Number(r?.m ?? 0)
}

/** How much a device's offset must change, or how old its measurement must be, before it is written again. */
const CLOCK_WRITE_DELTA_MS = 1000
const CLOCK_REFRESH_MS = 10 * 60_000

/**
 * Device clock minus server clock, ms, measured at each sync (the request's `clock`). Written only
 * when it changed by a second or more or is ten minutes old, so a polling device adds no writes.
 */
export async function recordClockOffset(storage: Storage, deviceId: string, deviceMs: number, now: number): Promise<void> {
  const offset = deviceMs - now
  const known = await clockOffsetOf(storage, deviceId)
  if (known && Math.abs(known.offsetMs - offset) < CLOCK_WRITE_DELTA_MS && now - known.measuredAt < CLOCK_REFRESH_MS) return
  await dbOf(storage)
    .insertInto('device_clocks')
    .values({ device_id: deviceId, offset_ms: offset, measured_at: now })
    .onConflict((oc) => oc.column('device_id').doUpdateSet({ offset_ms: offset, measured_at: now }))
    .execute()
}

export async function clockOffsetOf(storage: Storage, deviceId: string): Promise<{ offsetMs: number; measuredAt: number } | undefined> {
  const r = await dbOf(storage).selectFrom('device_clocks').selectAll().where('device_id', '=', deviceId).executeTakeFirst()
  return r ? { offsetMs: Number(r.offset_ms), measuredAt: Number(r.measured_at) } : undefined
}
