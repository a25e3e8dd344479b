// The queue endpoints on the current hand-made router, checked against the same TypeBox schemas
// as the Fastify plugin in queues.ts (which replaces this file when the API moves onto Fastify).

import type { ServerResponse } from 'node:http'
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { actorOf, authenticate } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { badRequest } from '../http/errors'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'
import { casesCsv, metricsCsv, serviceMetrics } from '../queue/metrics-service'
import { getCaseView, listBatches, listQueue, queueClockNow } from '../queue/queue-service'
import { BatchQuerySchema, CaseParamsSchema, CaseQuerySchema, MetricsQuerySchema, QueueQuerySchema } from '../queue/schemas'

/** Query parameters as the schema wants them (numbers and booleans converted), or a 400 naming the field. */
function checked<T>(schema: TSchema, part: 'query' | 'params', input: Record<string, string>): T {
  const value = Value.Default(schema, Value.Convert(schema, { ...input }))
  if (Value.Check(schema, value)) return value as T
  const e = [...Value.Errors(schema, value)][0]
  const p = (e?.params ?? {}) as { additionalProperties?: string[]; requiredProperties?: string[] }
  if (p.requiredProperties?.length) throw badRequest(`${part}.${p.requiredProperties[0]}: is required`)
  if (p.additionalProperties?.length) throw badRequest(`${part}.${p.additionalProperties[0]!.slice(0, 40)}: unknown parameter`)
  throw badRequest(`${part}${(e?.instancePath ?? '').replace(/\//g, '.')}: ${e?.message ?? 'is invalid'}`)
}

function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of url.searchParams) {
    if (k in out) throw badRequest(`query.${k.slice(0, 40)}: given twice`)
    out[k] = v
  }
  return out
}

function sendCsv(res: ServerResponse, name: string, text: string): void {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}"`,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(text)
}

export function queueRouterRoutes(router: Router, ctx: ServerContext): void {
  const clock = () => queueClockNow(ctx.config.dueSoonDays)
  const { storage } = ctx
  router.on('GET', '/api/queue', async ({ req, res, url }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    sendJson(res, 200, await listQueue(storage, actor, checked(QueueQuerySchema, 'query', queryOf(url)), clock()))
  })
  router.on('GET', '/api/queue.csv', async ({ req, res, url }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    const q = checked<Record<string, unknown>>(QueueQuerySchema, 'query', queryOf(url))
    if (q.cursor !== undefined) throw badRequest('query.cursor: an export has no pages')
    sendCsv(res, 'cases.csv', await casesCsv(storage, actor, q, clock()))
  })
  router.on('GET', '/api/batches', async ({ req, res, url }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    sendJson(res, 200, await listBatches(storage, actor, checked(BatchQuerySchema, 'query', queryOf(url)), Date.now()))
  })
  router.on('GET', '/api/cases/:ref', async ({ req, res, url, params }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    const { ref } = checked<{ ref: string }>(CaseParamsSchema, 'params', params)
    sendJson(res, 200, await getCaseView(storage, actor, ref, checked(CaseQuerySchema, 'query', queryOf(url)), clock()))
  })
  router.on('GET', '/api/metrics/service', async ({ req, res, url }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    sendJson(res, 200, await serviceMetrics(storage, actor, checked(MetricsQuerySchema, 'query', queryOf(url))))
  })
  router.on('GET', '/api/metrics/service.csv', async ({ req, res, url }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    sendCsv(res, 'service-metrics.csv', await metricsCsv(storage, actor, checked(MetricsQuerySchema, 'query', queryOf(url))))
  })
}
