// Operational figures for administrators and benchmarks: bytes on the server's sockets (headers
// included), memory, and how much is stored (GET /api/metrics); and the Prometheus text for
// operators (GET /metrics, behind METRICS_TOKEN when it is set).

import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { DaibanError, ErrorCode } from '../../src/core'
import type { ServerContext } from '../context'
import { answers, Ok } from '../http/api-types'
import { METRICS_PATH, type ServerMetrics } from '../observe/metrics'
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

const MetricsAnswer = Ok({
  bytesIn: Type.Number(),
  bytesOut: Type.Number(),
  rssMB: Type.Number(),
  peakRssMB: Type.Number(),
  logEntries: Type.Number(),
  headSeq: Type.Number(),
  cachedDocs: Type.Number(),
  syncBusyMs: Type.Number(),
})

export function metricsRoutes(ctx: ServerContext, deps: { traffic: Traffic; storage: Storage; sync: SyncService; metrics: ServerMetrics }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/metrics',
      { config: { auth: 'active', roles: ['admin'] }, schema: { tags: ['operations'], summary: 'Bytes on the wire, memory and stored log size', response: answers({ 200: MetricsAnswer }) } },
      async () => ({
        ok: true as const,
        bytesIn: deps.traffic.bytesIn(),
        bytesOut: deps.traffic.bytesOut(),
        rssMB: process.memoryUsage().rss / 1048576,
        peakRssMB: peakRssMB(),
        logEntries: await deps.storage.countLog(),
        headSeq: await deps.storage.headSeq(),
        cachedDocs: deps.sync.docs.size,
        syncBusyMs: Math.round(deps.sync.busyMs),
      }),
    )

    app.get(
      METRICS_PATH,
      {
        schema: {
          tags: ['operations'],
          summary: 'Prometheus text format (Bearer METRICS_TOKEN when set)',
          response: answers({ 200: Type.String({ description: 'text/plain; version=0.0.4' }) }),
        },
      },
      async (request, reply) => {
        if (ctx.config.metricsToken && request.headers.authorization !== `Bearer ${ctx.config.metricsToken}`)
          throw new DaibanError(ErrorCode.unauthenticated, 'the metrics need the bearer token set in METRICS_TOKEN')
        const m = await deps.metrics.text()
        return reply.type(m.contentType).header('cache-control', 'no-store').send(m.body)
      },
    )
  }
}
