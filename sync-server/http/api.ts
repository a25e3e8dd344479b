// Builds the HTTP layer on Fastify: one plugin per resource (sync-server/routes/*.ts) with its
// TypeBox schemas beside it. This file holds what every route shares: sign-in per route
// (`config.auth`, checked before any body is read), the error shape, 404 and 405 for the API,
// security headers, route-pattern metrics, the OpenAPI document and the static PWA.
// How to add a route: docs/architecture.md ("Adding an endpoint").

import type { Server } from 'node:http'
import Fastify, { LogController, type onRequestHookHandler, type onResponseHookHandler, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DaibanError, ErrorCode, type Role } from '../../src/core'
import { authenticate, requireRole } from '../auth/authenticate'
import { decodedPath, passwordGate } from '../auth/password-gate'
import type { TokenClaims } from '../auth/tokens'
import type { ServerContext } from '../context'
import type { ServerMetrics } from '../observe/metrics'
import type { SyncService } from '../sync/service'
import type { Traffic } from '../routes/metrics'
import { adminRoutes } from '../routes/admin'
import { blobRoutes } from '../routes/blobs'
import { deviceRoutes } from '../routes/devices'
import { deviceKeyRoutes } from '../routes/device-keys'
import { paperRoutes } from '../routes/paper'
import { registerDocs } from '../routes/docs'
import { healthRoutes } from '../routes/health'
import { metricsRoutes } from '../routes/metrics'
import { queueRoutes } from '../routes/queues'
import { referenceRoutes } from '../routes/reference'
import { sessionRoutes } from '../routes/session'
import { setupRoutes } from '../routes/setup'
import { staticRoutes } from '../routes/static'
import { syncRoutes } from '../routes/sync'
import { JSON_LIMIT } from '../context'
import { clientErrorHandler, errorHandler } from './error-handler'
import { validatorCompiler } from './validators'
import { cspFor, SECURITY_HEADERS } from './security-headers'
import './api-types'

export interface ApiDeps {
  ctx: ServerContext
  sync: SyncService
  metrics: ServerMetrics
  traffic: Traffic
  protocolVersion: number
  /** The node:http server (timeouts, connection limits and WebSocket upgrades are set on it). */
  server: Server
  /** Every route as registered (the OpenAPI test compares them with the document). */
  onRoute?: (route: RouteOptions) => void
}

export type Api = FastifyInstance<Server>

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const

export async function buildApi(deps: ApiDeps): Promise<Api> {
  const { ctx, server } = deps
  const app = Fastify({
    serverFactory: (handler) => {
      server.on('request', handler)
      return server
    },
    loggerInstance: ctx.log as FastifyBaseLogger,
    // No log line per request (the metrics count them); errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: JSON_LIMIT,
    return503OnClosing: false,
    // A parameter may be as long as the URL itself (the HTTP parser bounds it at 16 KiB); the schemas bound it.
    routerOptions: { ignoreDuplicateSlashes: false, maxParamLength: 16 * 1024 },
    clientErrorHandler,
    // Errors of the router itself (bad URL encoding, a parameter too long), in the same shape.
    frameworkErrors: (error, request, reply) => void errorHandler(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.decorateRequest('claims', null)
  app.decorateRequest('gateClaims', null)
  app.setErrorHandler(errorHandler)

  // Which methods each path has, for 405 + Allow.
  const methodsOf = new Map<string, Set<string>>()
  app.addHook('onRoute', (route) => {
    if (route.config?.methodNotAllowed) return
    // Routes that need a sign-in say so in the OpenAPI document.
    if (route.config?.auth && route.config.auth !== 'none' && route.schema) route.schema = { ...route.schema, security: [{ bearer: [] }] }
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const set = methodsOf.get(route.url) ?? new Set<string>()
    for (const m of methods) set.add(m)
    methodsOf.set(route.url, set)
    deps.onRoute?.(route)
    // Per-route hooks (not global ones: the route's options are known here, once): sign-in and
    // role before the body is read, and the request counter labelled with the route pattern.
    const { auth, roles } = route.config ?? {}
    if (auth && auth !== 'none') route.onRequest = [signIn(auth, roles), ...[route.onRequest ?? []].flat()]
    const label = route.url === '/*' ? 'static' : route.url
    const count: onResponseHookHandler = (request, reply, done) => {
      deps.metrics.requests.inc({ method: request.method, route: label === 'static' && reply.statusCode === 404 ? 'unmatched' : label, status: String(reply.statusCode) })
      done()
    }
    route.onResponse = [count, ...[route.onResponse ?? []].flat()]
  })

  function signIn(auth: 'token' | 'active', roles: readonly Role[] | undefined): onRequestHookHandler {
    return (request, _reply, done) => {
      let claims: TokenClaims
      try {
        // The password gate (below) runs first and has verified this same token when the path is
        // gated: one HMAC per request, not two.
        claims = request.gateClaims ?? authenticate(ctx.secret, request.raw)
        request.claims = claims
        // The account is still enabled (cached briefly by the guard: answered without a promise
        // when the cache knows), then the role.
        if (auth === 'token' || ctx.guard.requireActiveCached(claims)) {
          if (roles?.length) requireRole(claims, ...roles)
          return done()
        }
      } catch (e) {
        return done(e as Error)
      }
      ctx.guard.requireActive(claims).then(
        () => {
          try {
            if (roles?.length) requireRole(claims, ...roles)
            done()
          } catch (e) {
            done(e as Error)
          }
        },
        (e: Error) => done(e),
      )
    }
  }

  // After an administrator's reset an account may only change its password (auth/password-gate.ts):
  // checked for every request that carries a token, before routing, so no route can forget it.
  // Synchronous when the guard's cache answers; the claims it verified are kept for the sign-in.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.headers.authorization) return done()
    let pending: Promise<void> | null
    try {
      const verdict = passwordGate(ctx, request.raw, pathOf(request))
      request.gateClaims = verdict.claims
      pending = verdict.pending
    } catch (e) {
      return done(e as Error)
    }
    if (!pending) return done()
    pending.then(() => done(), done)
  })

  // Synchronous hooks (callback style): they run on every request and need no promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    const raw = pathOf(request)
    const path = decodedPath(raw) ?? raw // as routed: /%61pi/queue is an API answer too
    reply.headers(SECURITY_HEADERS)
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', cspFor(path))
    if (!reply.hasHeader('cache-control') && path.startsWith('/api/')) reply.header('cache-control', 'no-store')
    done(null, payload)
  })

  await registerDocs(app as unknown as FastifyInstance, { version: ctx.version, protocol: deps.protocolVersion })

  app.setNotFoundHandler(async (request, reply) => {
    reply.raw.once('finish', () => deps.metrics.requests.inc({ method: request.method, route: 'unmatched', status: String(reply.statusCode) }))
    throw new DaibanError(ErrorCode.notFound, pathOf(request).startsWith('/api/') ? `no API endpoint ${pathOf(request).slice(0, 200)}` : `not found: ${pathOf(request).slice(0, 200)}`)
  })

  await app.register(healthRoutes(deps))
  await app.register(sessionRoutes(ctx))
  await app.register(referenceRoutes(ctx))
  await app.register(deviceRoutes(ctx))
  await app.register(deviceKeyRoutes(ctx))
  await app.register(paperRoutes(ctx))
  await app.register(adminRoutes(ctx))
  await app.register(syncRoutes(ctx, deps.sync))
  await app.register(blobRoutes(ctx))
  await app.register(queueRoutes(ctx))
  await app.register(metricsRoutes(ctx, { traffic: deps.traffic, storage: ctx.storage, sync: deps.sync, metrics: deps.metrics }))
  await app.register(setupRoutes(ctx))
  await app.register(staticRoutes(ctx))
  await app.after()

  // Fastify answers an unknown method on a known path with 404; the API answers 405 with Allow.
  for (const [url, methods] of [...methodsOf]) {
    if (!url.startsWith('/api/') || url.includes('*') || url.startsWith('/api/docs')) continue
    const allowed = [...methods].filter((m) => m !== 'HEAD' || !methods.has('GET'))
    const missing = METHODS.filter((m) => !methods.has(m))
    if (!missing.length) continue
    app.route({
      method: [...missing],
      url,
      config: { methodNotAllowed: true },
      schema: { hide: true },
      // Answered before any body is read.
      onRequest: async (request, reply) => {
        if (!request.raw.complete) reply.header('connection', 'close')
        return reply
          .code(405)
          .header('allow', allowed.join(', '))
          .type('application/json; charset=utf-8')
          .send({ ok: false, error: { code: 'method_not_allowed', message: `use ${allowed.join(' or ')}` } })
      },
      handler: async () => undefined,
    })
  }
  return app
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?')
  return q < 0 ? request.url : request.url.slice(0, q)
}
