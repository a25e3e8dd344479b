// Slows down password guessing: after a few failures for one username (or one address), each
// further attempt must wait, doubling up to a ceiling. Counts live in the database so that all
// instances share them, and a success clears them.

import type { Storage } from '../storage'

export interface ThrottlePolicy {
  freeAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  windowMs: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000 }

export function delayAfter(failures: number, p: ThrottlePolicy): number {
  if (failures < p.freeAttempts) return 0
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failures - p.freeAttempts))
}

export class LoginThrottle {
  constructor(
    private storage: Storage,
    private policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  /** Milliseconds the caller must still wait before trying any of these keys again (0 = go). */
  async waitMs(keys: string[], now = Date.now()): Promise<number> {
    let wait = 0
    for (const key of keys) {
      const f = await this.storage.getLoginFailures(key)
      if (!f || now - f.lastAt >= this.policy.windowMs) continue
      wait = Math.max(wait, f.lastAt + delayAfter(f.count, this.policy) - now)
    }
    return Math.max(0, wait)
  }

  async fail(keys: string[], now = Date.now()): Promise<void> {
    for (const key of keys) await this.storage.recordLoginFailure(key, now, this.policy.windowMs)
  }

  async succeed(keys: string[]): Promise<void> {
    for (const key of keys) await this.storage.clearLoginFailures(key)
  }
}
