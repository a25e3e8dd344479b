// Operational figures for administrators and benchmarks: bytes on the server's sockets (headers
// included), memory, and how much is stored.

import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { authenticateActive, requireRole } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'
import type { Storage } from '../storage'
import type { SyncService } from '../sync/service'

export interface Traffic {
  bytesIn(): number
  bytesOut(): number
}

export function trackTraffic(server: Server): Traffic {
  const open = new Set<Socket>()
  let closedIn = 0
  let closedOut = 0
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => {
      closedIn += socket.bytesRead
      closedOut += socket.bytesWritten
      open.delete(socket)
    })
  })
  return {
    bytesIn: () => closedIn + [...open].reduce((n, s) => n + s.bytesRead, 0),
    bytesOut: () => closedOut + [...open].reduce((n, s) => n + s.bytesWritten, 0),
  }
}

/** Peak resident set size in MB (Linux VmHWM), or the current RSS elsewhere. */
export function peakRssMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1]) / 1024
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 1048576
}

export function metricsRoutes(router: Router, ctx: ServerContext, deps: { traffic: Traffic; storage: Storage; sync: SyncService }): void {
  router.on('GET', '/api/metrics', async ({ req, res }) => {
    requireRole(await authenticateActive(ctx, req), 'admin')
    const bytesIn = deps.traffic.bytesIn()
    const bytesOut = deps.traffic.bytesOut()
    sendJson(res, 200, {
      ok: true,
      bytesIn,
      bytesOut,
      rssMB: process.memoryUsage().rss / 1048576,
      peakRssMB: peakRssMB(),
      logEntries: await deps.storage.countLog(),
      headSeq: await deps.storage.headSeq(),
      cachedDocs: deps.sync.docs.size,
      syncBusyMs: Math.round(deps.sync.busyMs),
    })
  })
}
