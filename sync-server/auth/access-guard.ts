// Is this account (and this device) still allowed in? A signed token proves who the caller was
// when it logged in; an administrator may disable the account or revoke the device since. Every
// authenticated request and every open socket asks here. Answers are cached for a few seconds,
// dropped at once on the instance that made the change and, through LISTEN/NOTIFY, on the others.

import type pg from 'pg'
import { DaibanError, ErrorCode, type UserId } from '../../src/core'
import type { DeviceRecord, Storage } from '../storage'
import type { AccessChange, Notifier } from '../sync/notifier'
import { mustChangePassword } from '../admin/accounts'
import type { TokenClaims } from './tokens'

export const passwordChangeRequired = () =>
  new DaibanError(ErrorCode.passwordChangeRequired, 'an administrator reset this password: choose a new one first (POST /api/account/password)')

export const ACCESS_CACHE_MS = 2000

interface Cached<T> {
  value: T
  at: number
}

export interface UserAccess {
  active: boolean
  /** An administrator reset the password and the user has not chosen a new one yet. */
  mustChange: boolean
}

function checkAccess(access: UserAccess): void {
  if (!access.active) throw new DaibanError(ErrorCode.accountDisabled, 'this account is disabled or no longer exists')
  if (access.mustChange) throw passwordChangeRequired()
}

export class AccessGuard {
  private users = new Map<string, Cached<UserAccess>>()
  private devices = new Map<string, Cached<DeviceRecord | undefined>>()

  constructor(
    private storage: Storage,
    private notifier: Notifier,
    private pool?: pg.Pool,
    private ttlMs = ACCESS_CACHE_MS,
  ) {
    notifier.onAccessChange((c) => this.forget(c))
  }

  private forget(c: AccessChange): void {
    if (c.kind === 'user') this.users.delete(c.id)
    else this.devices.delete(c.id)
  }

  private async access(userId: string, now: number): Promise<UserAccess> {
    const hit = this.users.get(userId)
    if (hit && now - hit.at < this.ttlMs) return hit.value
    const user = await this.storage.getUser(userId as UserId)
    const active = Boolean(user && !user.disabled)
    const value = { active, mustChange: active && (await mustChangePassword(this.storage, userId)) }
    this.users.set(userId, { value, at: now })
    if (this.users.size > 10_000) this.users.delete(this.users.keys().next().value!)
    return value
  }

  /** Whether the account exists and is not disabled (cached). */
  async userActive(userId: string, now = Date.now()): Promise<boolean> {
    return (await this.access(userId, now)).active
  }

  /** Whether the account must choose a new password before anything else (cached). */
  async mustChangePassword(userId: string, now = Date.now()): Promise<boolean> {
    return (await this.access(userId, now)).mustChange
  }

  /** The enrolment of a device id (cached). */
  async device(deviceId: string, now = Date.now()): Promise<DeviceRecord | undefined> {
    const hit = this.devices.get(deviceId)
    if (hit && now - hit.at < this.ttlMs) return hit.value
    const value = await this.storage.getDevice(deviceId)
    this.devices.set(deviceId, { value, at: now })
    if (this.devices.size > 10_000) this.devices.delete(this.devices.keys().next().value!)
    return value
  }

  /** The cached access of an account, or undefined when it is not cached or too old (no waiting). */
  cachedAccess(userId: string, now = Date.now()): UserAccess | undefined {
    const hit = this.users.get(userId)
    return hit && now - hit.at < this.ttlMs ? hit.value : undefined
  }

  /** Throws unless the token's account is still active and has no password change pending. */
  async requireActive(claims: TokenClaims): Promise<void> {
    checkAccess(await this.access(claims.sub, Date.now()))
  }

  /**
   * requireActive answered from the cache, without a promise (every API request asks this): true
   * when the account may go on, throws when it may not, false when storage must be asked
   * (then call requireActive).
   */
  requireActiveCached(claims: TokenClaims, now = Date.now()): boolean {
    const access = this.cachedAccess(claims.sub, now)
    if (!access) return false
    checkAccess(access)
    return true
  }

  /**
   * Throws unless `deviceId` is an enrolment of the caller that has not been revoked:
   * 403 unknown_device (not enrolled, or another account's) or 403 device_revoked.
   */
  async requireDevice(claims: TokenClaims, deviceId: string): Promise<DeviceRecord> {
    const d = await this.device(deviceId)
    if (!d || d.userId !== claims.sub) throw new DaibanError(ErrorCode.unknownDevice, 'deviceId is not a device enrolled to this account', { field: 'deviceId' })
    if (d.revokedAt !== null) throw new DaibanError(ErrorCode.deviceRevoked, 'this device has been revoked; an administrator must enrol it again')
    return d
  }

  /** Disables (or re-enables) an account; its tokens and sockets stop working everywhere. */
  async setUserDisabled(userId: UserId, disabled: boolean): Promise<void> {
    await this.storage.setUserDisabled(userId, disabled)
    await this.userChanged(userId)
  }

  /** Call after disabling or changing an account. */
  async userChanged(userId: string): Promise<void> {
    await this.notifier.accessChanged({ kind: 'user', id: userId }, this.pool)
  }

  /** Call after revoking a device. */
  async deviceChanged(deviceId: string): Promise<void> {
    await this.notifier.accessChanged({ kind: 'device', id: deviceId }, this.pool)
  }

  onChange(fn: (c: AccessChange) => void): () => void {
    return this.notifier.onAccessChange(fn)
  }
}
