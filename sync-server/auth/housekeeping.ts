// Periodic clean-up of security state that would otherwise only grow: expired login-throttle
// rows, and (registered by other modules) stale uploads and unreferenced photos.

import type { Logger } from 'pino'

export type Chore = { name: string; run: () => Promise<number> }

export const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000

export function startHousekeeping(chores: Chore[], log: Logger, intervalMs = HOUSEKEEPING_INTERVAL_MS): { stop(): void; runOnce(): Promise<void> } {
  let running: Promise<void> | null = null
  const runOnce = () =>
    (running ??= (async () => {
      for (const c of chores) {
        try {
          const n = await c.run()
          if (n) log.info({ chore: c.name, removed: n }, 'housekeeping')
        } catch (e) {
          log.warn({ err: e, chore: c.name }, 'housekeeping failed')
        }
      }
    })().finally(() => (running = null)))
  const timer = setInterval(() => void runOnce(), intervalMs).unref()
  return { stop: () => clearInterval(timer), runOnce }
}
