// Assembles the server: storage, secret, routes, static files. `startServer` is what main.ts runs
// and what integration tests start in-process or as a child process.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pino, { type Logger } from 'pino'
import pkg from '../package.json'
import { DaibanError, ErrorCode, isDaibanError, loadArrangements } from '../src/core'
import { AccessGuard } from './auth/access-guard'
import { requirePasswordChanged } from './auth/password-gate'
import { STALE_UPLOAD_MS, UNLINKED_BLOB_GRACE_MS } from './auth/blob-access'
import { startHousekeeping } from './auth/housekeeping'
import { ByteBudget } from './limits/byte-budget'
import { applyConnectionLimits, SERVER_TIMEOUTS } from './limits/connections'
import { LoginThrottle } from './auth/throttle'
import { newSecret } from './auth/tokens'
import type { ServerConfig } from './config'
import type { ServerContext } from './context'
import { loadDemoData } from './demo-data'
import { sendError, sendJson } from './http/respond'
import { Router } from './http/router'
import { staticHandler } from './http/static'
import { deviceRoutes } from './routes/devices'
import { PAPER_PAGE_PREFIX, paperPage, paperRoutes } from './routes/paper'
import { deviceKeyRoutes } from './routes/device-keys'
import { referenceRoutes } from './routes/reference'
import { sessionRoutes } from './routes/session'
import { syncRoutes } from './routes/sync'
import { blobRoutes } from './routes/blobs'
import { queueRouterRoutes } from './routes/queues-router'
import { attachLive, type Live } from './live/live'
import { metricsRoutes, trackTraffic } from './routes/metrics'
import { Notifier } from './sync/notifier'
import { SyncService } from './sync/service'
import { openStorage, type Storage } from './storage'
import { announceSetup } from './admin/setup'
import { adminRoutes } from './routes/admin'
import { SETUP_FORM_LIMIT, SETUP_PATH, setupPageRequest } from './admin/setup-page'
import { readBody } from './http/body'
import { METRICS_PATH, readiness, ServerMetrics } from './observe/metrics'

export const PROTOCOL_VERSION = 1

export interface RunningServer {
  server: Server
  storage: Storage
  sync: SyncService
  notifier: Notifier
  live: Live
  ctx: ServerContext
  url: string
  close(): Promise<void>
}

export async function startServer(config: ServerConfig, log: Logger = pino({ level: config.logLevel })): Promise<RunningServer> {
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
    const router = new Router()
    router.on('GET', '/api/health', ({ res }) =>
      sendJson(res, 200, { ok: true, storage: storage.kind, version: ctx.version, protocol: PROTOCOL_VERSION }),
    )
    sessionRoutes(router, ctx)
    referenceRoutes(router, ctx)
    deviceRoutes(router, ctx)
    paperRoutes(router, ctx)
    deviceKeyRoutes(router, ctx)
    adminRoutes(router, ctx)
    const sync = new SyncService(storage, notifier, log, {
      ...(pool ? { pool } : {}),
      ...(config.docCacheSize ? { cacheSize: config.docCacheSize } : {}),
      ...(config.claimLeaseMinutes ? { claimLeaseMs: config.claimLeaseMinutes * 60_000 } : {}),
      ...(config.followUpWorkingDays ? { followUpDays: config.followUpWorkingDays } : {}),
    })
    syncRoutes(router, ctx, sync)
    blobRoutes(router, ctx)
    queueRouterRoutes(router, ctx)
    const serveStatic = config.staticDir ? staticHandler(config.staticDir, { serveSourceMaps: config.serveSourceMaps === true }) : null

    const server = createServer({ ...SERVER_TIMEOUTS }, (req, res) => void handle(req, res))
    // Timeouts for slow village links and a cap on connections per address (limits/connections.ts).
    applyConnectionLimits(server, config.maxConnectionsPerAddress)
    const traffic = trackTraffic(server)
    const metrics = new ServerMetrics({ storage, dataDir: config.dataDir, docs: sync.docs, server })
    sync.observer = (req, res, ms) => metrics.observeSync(req, res, ms)
    router.on('GET', '/api/ready', async ({ res }) => {
      const r = await readiness(storage)
      sendJson(res, r.ready ? 200 : 503, r.ready ? { ok: true } : { ok: false, error: { code: 'not_ready', message: r.reason } })
    })
    const live = attachLive(server, ctx, sync, notifier, log)
    metricsRoutes(router, ctx, { traffic, storage, sync })
    async function handle(req: IncomingMessage, res: ServerResponse) {
      let url: URL
      try {
        url = new URL(req.url ?? '/', 'http://localhost')
      } catch {
        return sendError(res, new DaibanError(ErrorCode.badRequest, 'malformed URL'))
      }
      let route = 'unmatched'
      res.once('finish', () => metrics.requests.inc({ method: req.method ?? 'GET', route, status: String(res.statusCode) }))
      try {
        if (url.pathname === METRICS_PATH) {
          route = METRICS_PATH
          if (config.metricsToken && req.headers.authorization !== `Bearer ${config.metricsToken}`) throw new DaibanError(ErrorCode.unauthenticated, 'the metrics need the bearer token set in METRICS_TOKEN')
          const m = await metrics.text()
          res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' })
          return res.end(m.body)
        }
        if (url.pathname.startsWith('/api/')) {
          const m = router.match(req.method ?? 'GET', url.pathname)
          if (!m) throw new DaibanError(ErrorCode.notFound, `no API endpoint ${url.pathname}`)
          if ('route' in m) route = m.route
          if ('allowed' in m) return sendJson(res, 405, { ok: false, error: { code: 'method_not_allowed', message: `use ${m.allowed.join(' or ')}` } }, { allow: m.allowed.join(', ') })
          await requirePasswordChanged(ctx, req, url.pathname)
          return await m.handler({ req, res, url, params: m.params })
        }
        if (url.pathname.startsWith(PAPER_PAGE_PREFIX) && (req.method === 'GET' || req.method === 'HEAD')) {
          route = '/v/:payload'
          return await paperPage(ctx, req, res, url)
        }
        if (url.pathname === SETUP_PATH) {
          route = SETUP_PATH
          const body = req.method === 'POST' ? (await readBody(req, SETUP_FORM_LIMIT)).toString('utf8') : ''
          const page = await setupPageRequest(storage, req.method ?? 'GET', url.searchParams, body)
          res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
          return res.end(req.method === 'HEAD' ? undefined : page.html)
        }
        route = 'static'
        if (serveStatic && (await serveStatic(req, res, url.pathname))) return
        route = 'unmatched'
        throw new DaibanError(ErrorCode.notFound, `not found: ${url.pathname}`)
      } catch (e) {
        // An error answered before the body was read: let the client finish sending (so it sees
        // the answer instead of a reset), then close the connection.
        if (!req.complete) {
          res.setHeader('connection', 'close')
          req.resume()
        }
        if (isDaibanError(e)) {
          const retry = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds
          return sendError(res, e, retry ? { 'retry-after': String(retry) } : {})
        }
        log.error({ err: e, path: url.pathname }, 'request failed')
        sendError(res, new DaibanError(ErrorCode.internal, 'internal error'))
      }
    }

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
      url,
      async close() {
        if (compactTimer) clearInterval(compactTimer)
        housekeeping.stop()
        live.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
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
