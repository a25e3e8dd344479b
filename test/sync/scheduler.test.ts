import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SyncScheduler } from '../../src/sync/scheduler'

describe('scheduler', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('syncs at start, then on the interval', async () => {
    const sync = vi.fn(async () => {})
    const s = new SyncScheduler({ sync, isOnline: () => true, intervalMs: 60_000 })
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(sync).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(59_000)
    expect(sync).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(sync).toHaveBeenCalledTimes(2)
    s.stop()
  })

  it('backs off exponentially with jitter after failures, up to a ceiling', async () => {
    const s = new SyncScheduler({ sync: async () => {}, isOnline: () => true, baseBackoffMs: 1000, maxBackoffMs: 8000, random: () => 1 })
    const delays = []
    for (let f = 1; f <= 6; f++) {
      s.state.failures = f
      delays.push(s.delay())
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000])
    const low = new SyncScheduler({ sync: async () => {}, isOnline: () => true, baseBackoffMs: 1000, random: () => 0 })
    low.state.failures = 3
    expect(low.delay()).toBe(2000) // half of 4000 at the lowest jitter
  })

  it('retries sooner after a failure and resets after success', async () => {
    let fail = true
    const sync = vi.fn(async () => {
      if (fail) throw new Error('offline')
    })
    const s = new SyncScheduler({ sync, isOnline: () => true, intervalMs: 60_000, baseBackoffMs: 1000, random: () => 1 })
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(s.state).toMatchObject({ failures: 1, lastError: 'offline' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(sync).toHaveBeenCalledTimes(2)
    expect(s.state.failures).toBe(2)
    fail = false
    await vi.advanceTimersByTimeAsync(2000)
    expect(sync).toHaveBeenCalledTimes(3)
    expect(s.state).toMatchObject({ failures: 0, lastError: null })
    s.stop()
  })

  it('does not call the server while offline, and syncs at once when the network returns', async () => {
    let online = false
    const sync = vi.fn(async () => {})
    const s = new SyncScheduler({ sync, isOnline: () => online, intervalMs: 10_000 })
    s.start()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(sync).not.toHaveBeenCalled()
    online = true
    s.online()
    await vi.advanceTimersByTimeAsync(0)
    expect(sync).toHaveBeenCalledTimes(1)
    s.stop()
  })

  it('follows a running sync with one more for everyone who asked meanwhile, never two at once', async () => {
    const releases: (() => void)[] = []
    let running = 0
    let most = 0
    const sync = vi.fn(
      () =>
        new Promise<void>((r) => {
          most = Math.max(most, ++running)
          releases.push(() => (running--, r()))
        }),
    )
    const s = new SyncScheduler({ sync, isOnline: () => true })
    const a = s.syncNow()
    const b = s.syncNow() // asked while the first runs: it may miss what b wants
    const c = s.syncNow()
    expect(sync).toHaveBeenCalledTimes(1)
    releases.shift()!()
    await a
    await vi.advanceTimersByTimeAsync(0)
    expect(sync).toHaveBeenCalledTimes(2) // one more, shared by b and c
    releases.shift()!()
    await Promise.all([b, c])
    expect(sync).toHaveBeenCalledTimes(2)
    expect(most).toBe(1)
    s.stop()
  })
})
