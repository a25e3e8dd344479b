// The device escrow key. A device keeps its account's data key wrapped twice: by the password and
// by this per-account, per-device key, which the server hands out only to an online sign-in (the
// password again, not just a token) of an active account on its own enrolled, not-revoked device
// (the device credential). So after an administrator resets a password the next online sign-in
// still opens the device's data, while a copied browser profile holds nothing that opens it.
// A revoked device reports, with its credential alone, that it erased its data.

import { randomBytes } from 'node:crypto'
import { DaibanError, ErrorCode, type UserId } from '../../src/core'
import type { ServerContext } from '../context'
import { credentialDevice } from './device-credential'
import { verifyPassword } from './password'
import { loginKeys } from './throttle'
import type { TokenClaims } from './tokens'

export interface EscrowInput {
  deviceId: string
  password: string
  /** The X-Daiban-Device credential presented with the request. */
  credential: string | null
  /** The client's address (for the login throttle). */
  address: string
}

export async function deviceEscrowKey(ctx: ServerContext, claims: TokenClaims, input: EscrowInput): Promise<{ key: string }> {
  const named = input.credential === null ? null : credentialDevice(ctx.secret, input.credential, claims.sub)
  if (named === null || named !== input.deviceId) throw new DaibanError(ErrorCode.unknownDevice, 'this request must carry the credential of a device enrolled to this account', { field: 'deviceId' })
  await ctx.guard.requireDevice(claims, named)
  const user = await ctx.storage.getUser(claims.sub)
  if (!user || user.disabled) throw new DaibanError(ErrorCode.accountDisabled, 'this account is disabled or no longer exists')
  // The password is checked like a login, under the same throttle: a stolen token alone opens nothing.
  const keys = loginKeys(user.username, input.address)
  const wait = await ctx.loginThrottle.reserve(keys)
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000)
    throw new DaibanError(ErrorCode.tooManyAttempts, `too many failed attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds })
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await ctx.loginThrottle.fail(keys)
    throw new DaibanError(ErrorCode.unauthenticated, 'wrong password')
  }
  await ctx.loginThrottle.succeed(keys)
  const key = await ctx.storage.deviceEscrowKey(named, claims.sub as UserId, randomBytes(32).toString('base64'), Date.now())
  ctx.log.info({ deviceId: named, userId: claims.sub }, 'device escrow key handed out')
  return { key }
}

/** A revoked device's report that it erased its data; true when recorded now (once). */
export async function confirmDeviceErased(ctx: ServerContext, input: { deviceId: string; userId: string; credential: string | null }): Promise<{ recorded: boolean }> {
  const named = input.credential === null ? null : credentialDevice(ctx.secret, input.credential, input.userId)
  if (named === null || named !== input.deviceId) throw new DaibanError(ErrorCode.unknownDevice, 'this request must carry the credential of the device', { field: 'deviceId' })
  const device = await ctx.storage.getDevice(named)
  if (!device || device.userId !== input.userId) throw new DaibanError(ErrorCode.unknownDevice, 'no such device')
  if (device.revokedAt === null) throw new DaibanError(ErrorCode.conflict, 'this device is not revoked')
  const recorded = await ctx.storage.markDeviceErased(named, Date.now())
  if (recorded) ctx.log.info({ deviceId: named, userId: input.userId }, 'revoked device confirmed its erase')
  return { recorded }
}
