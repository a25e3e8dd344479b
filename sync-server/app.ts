// Assembles the server: storage, secret, routes, static files. `startServer` is what main.ts runs
// and what integration tests start in-process or as a child process.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RouteOptions } from 'fastify'
import pino, { type Logger } from 'pino'
import pkg from '../package.json'
import { loadArrangements } from '../src/core'
import { AccessGuard } from './auth/access-guard'
import { STALE_UPLOAD_MS, UNLINKED_BLOB_GRACE_MS } from './auth/blob-access'
import { startHousekeeping } from './auth/housekeeping'
import { ByteBudget } from './limits/byte-budget'
import { applyConnectionLimits, SERVER_TIMEOUTS } from './limits/connections'
import { LoginThrottle } from './auth/throttle'
import { newSecret } from './auth/tokens'
import type { ServerConfig } from './config'
import type { ServerContext } from './context'
import { loadDemoData } from './demo-data'
import { buildApi, type Api } from './http/api'
import { attachLive, type Live } from './live/live'
import { trackTraffic } from './routes/metrics'
import { Notifier } from './sync/notifier'
import { SyncService } from './sync/service'
import { openStorage, type Storage } from './storage'
import { announceSetup } from './admin/setup'
import { ServerMetrics } from './observe/metrics'

export const PROTOCOL_VERSION = 1

export interface RunningServer {
  server: Server
  storage: Storage
  sync: SyncService
  notifier: Notifier
  live: Live
  ctx: ServerContext
  /** The Fastify instance (routes, OpenAPI document). */
  http: Api
  /** Every route as registered (method and path pattern), for the OpenAPI test. */
  routes: RouteOptions[]
  url: string
  close(): Promise<void>
}

export async function startServer(
  config: ServerConfig,
  log: Logger = pino({ level: config.logLevel }),
  opts: { onRoute?: (route: RouteOptions) => void } = {},
): Promise<RunningServer> {
  const { storage, pool } = await openStorage(config)
  const notifier = new Notifier()
  try {
    const secret = await storage.setSettingOnce('token_secret', newSecret())
    if (config.demoData && (await loadDemoData(storage)).loaded) log.info('demo data loaded into the empty database')
    loadArrangements(await storage.listArrangements())

    if (pool) await notifier.listen(pool)
    // Every instance reloads the official working-day arrangements when one of them loads one.
    notifier.onCalendarChange(() => {
      storage.listArrangements().then(loadArrangements, (e) => log.warn({ err: e }, 'reloading arrangements failed'))
    })
    const ctx: ServerContext = {
      config,
      storage,
      log,
      secret,
      version: pkg.version,
      loginThrottle: new LoginThrottle(storage),
      guard: new AccessGuard(storage, notifier, pool ?? undefined),
      bodyBudget: new ByteBudget(config.bodyBudgetBytes),
      notifier,
      ...(pool ? { pool } : {}),
    }
    const sync = new SyncService(storage, notifier, log, {
      ...(pool ? { pool } : {}),
      ...(config.docCacheSize ? { cacheSize: config.docCacheSize } : {}),
      ...(config.claimLeaseMinutes ? { claimLeaseMs: config.claimLeaseMinutes * 60_000 } : {}),
      ...(config.followUpWorkingDays ? { followUpDays: config.followUpWorkingDays } : {}),
    })
    const server: Server = createServer({ ...SERVER_TIMEOUTS })
    // Timeouts for slow village links and a cap on connections per address (limits/connections.ts).
    applyConnectionLimits(server, config.maxConnectionsPerAddress)
    const traffic = trackTraffic(server)
    const metrics = new ServerMetrics({ storage, dataDir: config.dataDir, docs: sync.docs, server })
    sync.observer = (req, res, ms) => metrics.observeSync(req, res, ms)
    // The WebSocket endpoints (/yjs/*, /api/live) are served from the server's 'upgrade' event.
    const live = attachLive(server, ctx, sync, notifier, log)
    const routes: RouteOptions[] = []
    const onRoute = (route: RouteOptions) => {
      routes.push(route)
      opts.onRoute?.(route)
    }
    const api = await buildApi({ ctx, sync, metrics, traffic, protocolVersion: PROTOCOL_VERSION, server, onRoute })
    await api.ready()

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.port, config.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const compactEvery = (config.compactIntervalSeconds ?? 0) * 1000
    const compactTimer = compactEvery
      ? setInterval(() => {
          sync
            .compactLongLogs()
            .then((n) => n && log.info({ cases: n }, 'logs compacted'))
            .catch((e) => log.warn({ err: e }, 'compaction failed'))
        }, compactEvery).unref()
      : null
    const housekeeping = startHousekeeping(
      [
        { name: 'login throttle rows', run: () => ctx.loginThrottle.prune() },
        { name: 'stale uploads', run: () => storage.pruneStaleUploads(Date.now() - STALE_UPLOAD_MS) },
        { name: 'unreferenced photos', run: () => storage.pruneUnlinkedBlobs(Date.now() - UNLINKED_BLOB_GRACE_MS) },
      ],
      log,
    )
    const { port } = server.address() as AddressInfo
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
    log.info({ url, storage: storage.kind }, 'daiban server listening')
    if (!config.demoData) await announceSetup(storage, config.publicUrl ?? url, log)

    return {
      server,
      storage,
      sync,
      notifier,
      live,
      ctx,
      http: api,
      routes,
      url,
      async close() {
        if (compactTimer) clearInterval(compactTimer)
        housekeeping.stop()
        live.close()
        await new Promise<void>((resolve) => {
          api.close().then(() => resolve(), () => resolve())
          server.closeIdleConnections()
          // A kept-alive connection the platform does not see as idle must not hold shutdown up.
          setTimeout(() => server.closeAllConnections(), 2000).unref()
        })
        await notifier.close()
        await storage.close()
      },
    }
  } catch (e) {
    await notifier.close().catch(() => {})
    await storage.close().catch(() => {})
    throw e
  }
}
