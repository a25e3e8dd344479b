// The township and county queues over HTTP: GET /api/queue (+ .csv), /api/batches, /api/cases/{id
// or number}, /api/metrics/service (+ .csv). Each handler signs the caller in and hands the actor to
// the queue service, which scopes every read; the schemas bound every parameter and answer.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { actorOf } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import { casesCsv, metricsCsv, serviceMetrics } from '../queue/metrics-service'
import { getCaseView, listBatches, listQueue, queueClockNow } from '../queue/queue-service'
import {
  BatchAnswerSchema,
  BatchQuerySchema,
  CaseAnswerSchema,
  CaseParamsSchema,
  CaseQuerySchema,
  MetricsAnswerSchema,
  MetricsQuerySchema,
  QueueAnswerSchema,
  QueueQuerySchema,
} from '../queue/schemas'

const Csv = Type.String({ description: 'CSV, UTF-8 with a byte-order mark' })
const TAGS = ['queues']

function sendCsv(reply: { header(k: string, v: string): unknown }, name: string, text: string) {
  reply.header('content-type', 'text/csv; charset=utf-8')
  reply.header('content-disposition', `attachment; filename="${name}"`)
  reply.header('cache-control', 'no-store')
  return text
}

export function queueRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  const { storage } = ctx
  const clock = () => queueClockNow(ctx.config.dueSoonDays)
  const config = { auth: 'token' } as const
  return async (app) => {
    app.get(
      '/api/queue',
      { config, schema: { tags: TAGS, summary: 'Cases waiting in the caller’s queue, by due day, keyset-paged', querystring: QueueQuerySchema, response: answers({ 200: QueueAnswerSchema }) } },
      async (request) => listQueue(storage, actorOf(claimsOf(request)), request.query, clock()),
    )

    app.get(
      '/api/queue.csv',
      { config, schema: { tags: TAGS, summary: 'The queue as CSV (personal numbers masked)', querystring: Type.Omit(QueueQuerySchema, ['cursor'], { additionalProperties: false }), response: answers({ 200: Csv }) } },
      async (request, reply) => sendCsv(reply, 'cases.csv', await casesCsv(storage, actorOf(claimsOf(request)), request.query, clock())),
    )

    app.get(
      '/api/batches',
      { config, schema: { tags: TAGS, summary: 'Incoming batches per village and device', querystring: BatchQuerySchema, response: answers({ 200: BatchAnswerSchema }) } },
      async (request) => listBatches(storage, actorOf(claimsOf(request)), request.query, Date.now()),
    )

    app.get(
      '/api/cases/:ref',
      {
        config,
        schema: {
          tags: TAGS,
          summary: 'One case by id or case number; ID, phone and account numbers masked unless revealed with a reason (audited)',
          params: CaseParamsSchema,
          querystring: CaseQuerySchema,
          response: answers({ 200: CaseAnswerSchema }),
        },
      },
      async (request) => getCaseView(storage, actorOf(claimsOf(request)), request.params.ref, request.query, clock()),
    )

    app.get(
      '/api/metrics/service',
      { config, schema: { tags: TAGS, summary: 'Service figures over a period beside the targets (township, county, administrator)', querystring: MetricsQuerySchema, response: answers({ 200: MetricsAnswerSchema }) } },
      async (request) => serviceMetrics(storage, actorOf(claimsOf(request)), request.query),
    )

    app.get(
      '/api/metrics/service.csv',
      { config, schema: { tags: TAGS, summary: 'Service figures as CSV', querystring: MetricsQuerySchema, response: answers({ 200: Csv }) } },
      async (request, reply) => sendCsv(reply, 'service-metrics.csv', await metricsCsv(storage, actorOf(claimsOf(request)), request.query)),
    )
  }
}
