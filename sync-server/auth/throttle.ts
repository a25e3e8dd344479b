// Slows down password guessing. An attempt is counted before its password is checked, in one
// locked transaction, so parallel guesses are judged one after another and cost what sequential
// ones cost. Three counts, the usual split: per username-and-address (strict), per username
// (looser, so a burst from elsewhere cannot lock the owner out for long) and per address (slows
// that address only). A success clears the username-and-address, username and address counts.
// Counts live in the database so that all instances share them; old rows are pruned.

import type { Storage } from '../storage'

export interface ThrottlePolicy {
  freeAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  windowMs: number
}

/** Guesses at one account from one address. */
export const PAIR_THROTTLE: ThrottlePolicy = { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000 }
/** Guesses at one account from anywhere: more room, a short ceiling. */
export const USER_THROTTLE: ThrottlePolicy = { freeAttempts: 20, baseDelayMs: 1000, maxDelayMs: 60_000, windowMs: 60 * 60_000 }
/** Guesses from one address at any account (a station's shared address signs in many people). */
export const ADDRESS_THROTTLE: ThrottlePolicy = { freeAttempts: 30, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000 }
/** Kept for older imports: the strict per-pair policy. */
export const DEFAULT_THROTTLE = PAIR_THROTTLE

export function delayAfter(failures: number, p: ThrottlePolicy): number {
  if (failures < p.freeAttempts) return 0
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failures - p.freeAttempts))
}

/** Milliseconds before one more attempt on a key with this record is allowed (0 = now). */
export function waitFor(row: { count: number; lastAt: number } | undefined, p: ThrottlePolicy, now: number): number {
  if (!row || now - row.lastAt >= p.windowMs) return 0
  return Math.max(0, row.lastAt + delayAfter(row.count, p) - now)
}

export interface LoginKeys {
  pair: string
  user: string
  address: string
}

export function loginKeys(username: string, address: string): LoginKeys {
  return { pair: `pair:${username}|${address}`, user: `user:${username}`, address: `addr:${address}` }
}

export class LoginThrottle {
  constructor(
    private storage: Storage,
    private policies: { pair: ThrottlePolicy; user: ThrottlePolicy; address: ThrottlePolicy } = {
      pair: PAIR_THROTTLE,
      user: USER_THROTTLE,
      address: ADDRESS_THROTTLE,
    },
  ) {}

  /**
   * Counts one attempt on every key unless one of them must still wait; returns that wait in
   * milliseconds (0 = the attempt is reserved and the password may be checked).
   */
  async reserve(keys: LoginKeys, now = Date.now()): Promise<number> {
    const order = [
      { key: keys.pair, windowMs: this.policies.pair.windowMs },
      { key: keys.user, windowMs: this.policies.user.windowMs },
      { key: keys.address, windowMs: this.policies.address.windowMs },
    ]
    const policies = [this.policies.pair, this.policies.user, this.policies.address]
    return this.storage.reserveLoginAttempt(order, now, (rows, at) => Math.max(...rows.map((r, i) => waitFor(r, policies[i]!, at))))
  }

  /** A wrong password: the wait runs from the end of the check, not from its start. */
  async fail(keys: LoginKeys, now = Date.now()): Promise<void> {
    await this.storage.touchLoginFailures([keys.pair, keys.user, keys.address], now)
  }

  /** A correct password: the reserved attempt was not a guess. */
  async succeed(keys: LoginKeys): Promise<void> {
    for (const key of [keys.pair, keys.user, keys.address]) await this.storage.clearLoginFailures(key)
  }

  /** Removes rows whose window has passed (they no longer slow anyone). */
  async prune(now = Date.now()): Promise<number> {
    const longest = Math.max(this.policies.pair.windowMs, this.policies.user.windowMs, this.policies.address.windowMs)
    return this.storage.pruneLoginFailures(now - longest)
  }
}
