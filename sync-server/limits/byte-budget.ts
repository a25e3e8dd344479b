// A server-wide bound on request bytes held in memory at once. Each request takes a lease and
// grows it as its body (and its inflated body) arrives; when the budget is full a request waits a
// moment for room, then is answered 503 with Retry-After. Small gzip bodies can no longer add up
// to gigabytes.

import { DaibanError, ErrorCode } from '../../src/core'

export const DEFAULT_BUDGET_BYTES = 48 * 1024 * 1024
export const BUDGET_WAIT_MS = 1500
export const BUSY_RETRY_SECONDS = 2

export class ByteBudget {
  private used = 0
  private waiters = new Set<() => void>()

  constructor(
    readonly limit = DEFAULT_BUDGET_BYTES,
    private waitMs = BUDGET_WAIT_MS,
  ) {}

  get inFlight(): number {
    return this.used
  }

  lease(): Lease {
    return new Lease(this)
  }

  /** Takes `n` bytes if there is room now, without waiting; false when there is not. */
  tryTake(n: number): boolean {
    if (this.used + n > this.limit) return false
    this.used += n
    return true
  }

  /** Takes `n` bytes, waiting up to the wait time for room; throws `busy` (503) otherwise. */
  async take(n: number): Promise<void> {
    if (this.tryTake(n)) return
    const deadline = Date.now() + this.waitMs
    while (this.used + n > this.limit) {
      const left = deadline - Date.now()
      if (left <= 0) throw new DaibanError(ErrorCode.busy, 'the server is busy receiving other requests; try again shortly', { retryAfterSeconds: BUSY_RETRY_SECONDS })
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          this.waiters.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, left)
        this.waiters.add(wake)
      })
    }
    this.used += n
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n)
    for (const w of [...this.waiters]) w()
  }
}

/** One request's share of the budget; released once, when the request is answered. */
export class Lease {
  private held = 0
  private released = false

  constructor(private budget: ByteBudget) {}

  async take(n: number): Promise<void> {
    if (this.released) throw new Error('lease already released')
    await this.budget.take(n)
    this.held += n
  }

  /** Takes `n` bytes if the budget has room now (no promise); false when the caller must `take`. */
  tryTake(n: number): boolean {
    if (this.released) throw new Error('lease already released')
    if (!this.budget.tryTake(n)) return false
    this.held += n
    return true
  }

  release(): void {
    if (this.released) return
    this.released = true
    this.budget.give(this.held)
    this.held = 0
  }
}
