// When to sync: at once when the device comes online or the user presses "sync now" or the
// server hints that something changed; otherwise on an interval. After a failure the next try
// backs off exponentially with jitter, so a village of tablets coming back online together does
// not hammer the township server in lockstep.

export interface SchedulerOptions {
  sync(): Promise<unknown>
  isOnline(): boolean
  intervalMs?: number
  baseBackoffMs?: number
  maxBackoffMs?: number
  random?: () => number
  onState?: (s: SchedulerState) => void
}

export interface SchedulerState {
  running: boolean
  failures: number
  lastError: string | null
  lastSuccess: number | null
  nextAt: number | null
}

export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null
  private inFlight: Promise<void> | null = null
  /** Asked again while running: what changed meanwhile may not be in the running sync, so one
   * more sync follows it, shared by everyone who asked. */
  private rerun: Promise<void> | null = null
  private stopped = true
  readonly state: SchedulerState = { running: false, failures: 0, lastError: null, lastSuccess: null, nextAt: null }
  private readonly o: Required<Omit<SchedulerOptions, 'onState'>> & Pick<SchedulerOptions, 'onState'>

  constructor(opts: SchedulerOptions) {
    this.o = { intervalMs: 60_000, baseBackoffMs: 2_000, maxBackoffMs: 5 * 60_000, random: Math.random, ...opts }
  }

  start(): void {
    this.stopped = false
    void this.syncNow()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.state.nextAt = null
  }

  /** Delay before the next attempt: the interval after success, backoff with jitter after failures. */
  delay(): number {
    if (this.state.failures === 0) return this.o.intervalMs
    const exp = Math.min(this.o.maxBackoffMs, this.o.baseBackoffMs * 2 ** (this.state.failures - 1))
    return Math.round(exp * (0.5 + this.o.random() / 2))
  }

  /** Runs a sync now (or one right after the running one); the failure count resets on success. */
  syncNow(): Promise<void> {
    if (this.inFlight) {
      this.rerun ??= this.inFlight.then(() => {
        this.rerun = null
        return this.syncNow()
      })
      return this.rerun
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (!this.o.isOnline()) {
      this.schedule()
      return Promise.resolve()
    }
    this.state.running = true
    this.emit()
    this.inFlight = this.o
      .sync()
      .then(
        () => {
          this.state.failures = 0
          this.state.lastError = null
          this.state.lastSuccess = Date.now()
        },
        (e: unknown) => {
          this.state.failures++
          this.state.lastError = e instanceof Error ? e.message : String(e)
        },
      )
      .finally(() => {
        this.inFlight = null
        this.state.running = false
        this.schedule()
      })
    return this.inFlight
  }

  /** The browser says the network is back. */
  online(): void {
    this.state.failures = 0
    void this.syncNow()
  }

  private schedule(): void {
    if (this.stopped) return this.emit()
    const ms = this.delay()
    this.state.nextAt = Date.now() + ms
    this.timer = setTimeout(() => void this.syncNow(), ms)
    this.emit()
  }

  private emit(): void {
    this.o.onState?.({ ...this.state })
  }
}
