// Device identity. Enrolment gives a device a credential: an HMAC of its id and its account under
// the server secret. A sync presents it (header X-Daiban-Device) next to the user's token; the
// server then knows which enrolled, not-revoked device of that user sent the writes, and records
// that device in the audit trail instead of whatever id the request header claimed.

import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { DaibanError, ErrorCode } from '../../src/core'
import type { AccessGuard } from './access-guard'
import type { TokenClaims } from './tokens'

export const DEVICE_HEADER = 'x-daiban-device'
const PREFIX = 'dc1'
/** The pseudo-device of a user's stock y-websocket connections that present no credential. */
export const livePseudoDevice = (userId: string) => `live-${userId}`

/**
 * required: every sync presents the credential of an enrolled device of the caller (production).
 * optional: a credential, when presented, is checked; without one the header's device id is
 * refused only if it is another account's or revoked (older clients during an upgrade).
 */
export type DeviceCredentialMode = 'required' | 'optional'

function mac(secret: string, deviceId: string, userId: string): string {
  return createHmac('sha256', secret).update(`device|${deviceId}|${userId}`).digest('base64url')
}

export function issueDeviceCredential(secret: string, deviceId: string, userId: string): string {
  return `${PREFIX}.${deviceId}.${mac(secret, deviceId, userId)}`
}

/** The device id a credential names, if it was issued to this user; null otherwise. */
export function credentialDevice(secret: string, credential: string, userId: string): string | null {
  const parts = credential.split('.')
  if (parts.length !== 3 || parts[0] !== PREFIX || parts[1]!.length > 64) return null
  const expected = Buffer.from(mac(secret, parts[1]!, userId))
  const given = Buffer.from(parts[2]!)
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts[1]! : null
}

export function presentedCredential(req: IncomingMessage, url?: URL): string | null {
  const h = req.headers[DEVICE_HEADER]
  if (typeof h === 'string' && h.length > 0 && h.length <= 200) return h
  const q = url?.searchParams.get('device')
  return q && q.length <= 200 ? q : null
}

/**
 * The verified device of a request that claims `claimedId` (a sync header's deviceId). Throws 403
 * unknown_device when the credential is missing (required mode), forged, another account's or for
 * another device than claimed; 403 device_revoked when the device was revoked.
 */
export async function verifiedDevice(
  ctx: { secret: string; guard: AccessGuard; mode: DeviceCredentialMode },
  claims: TokenClaims,
  credential: string | null,
  claimedId: string,
): Promise<string> {
  if (credential === null) {
    if (ctx.mode === 'required') throw new DaibanError(ErrorCode.unknownDevice, 'this request must carry the device credential issued at enrolment (X-Daiban-Device)', { field: 'deviceId' })
    const d = await ctx.guard.device(claimedId)
    if (d) await ctx.guard.requireDevice(claims, claimedId)
    return claimedId
  }
  const named = credentialDevice(ctx.secret, credential, claims.sub)
  if (named === null || named !== claimedId) throw new DaibanError(ErrorCode.unknownDevice, 'deviceId is not a device enrolled to this account', { field: 'deviceId' })
  await ctx.guard.requireDevice(claims, named)
  return named
}
