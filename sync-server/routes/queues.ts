// The township and county queues over HTTP: GET /api/queue (+ .csv), /api/batches, /api/cases/{id
// or number}, /api/metrics/service (+ .csv). Each handler signs the caller in and hands the actor to
// the queue service, which scopes every read; the schemas bound every parameter and answer.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'
import type { Actor } from '../../src/core'
import type { Storage } from '../storage'
import { casesCsv, metricsCsv, serviceMetrics } from '../queue/metrics-service'
import { getCaseView, listBatches, listQueue, type QueueClock } from '../queue/queue-service'
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

export interface QueueRouteDeps {
  storage: Storage
  /** The signed-in actor of a request (throws 401/403 otherwise). */
  actor(request: FastifyRequest): Promise<Actor>
  /** Today in China, now, and the due-soon threshold from the configuration. */
  clock(): QueueClock
  /** The `response` map of a route: its answers plus the shared error shape. */
  answers<T extends Record<number, TSchema>>(ok: T): T
  security: { bearer: string[] }[]
}

const Csv = Type.String({ description: 'CSV, UTF-8 with a byte-order mark' })
const TAGS = ['queues']

function sendCsv(reply: { header(k: string, v: string): unknown }, name: string, text: string) {
  reply.header('content-type', 'text/csv; charset=utf-8')
  reply.header('content-disposition', `attachment; filename="${name}"`)
  reply.header('cache-control', 'no-store')
  return text
}

export function queueRoutes(deps: QueueRouteDeps): FastifyPluginAsyncTypebox {
  const { storage, answers, security } = deps
  return async (app) => {
    app.get(
      '/api/queue',
      { schema: { tags: TAGS, summary: 'Cases waiting in the caller’s queue, by due day, keyset-paged', security, querystring: QueueQuerySchema, response: answers({ 200: QueueAnswerSchema }) } },
      async (request) => listQueue(storage, await deps.actor(request), request.query, deps.clock()),
    )

    app.get(
      '/api/queue.csv',
      { schema: { tags: TAGS, summary: 'The queue as CSV (personal numbers masked)', security, querystring: Type.Omit(QueueQuerySchema, ['cursor', 'limit']), response: answers({ 200: Csv }) } },
      async (request, reply) => sendCsv(reply, 'cases.csv', await casesCsv(storage, await deps.actor(request), request.query, deps.clock())),
    )

    app.get(
      '/api/batches',
      { schema: { tags: TAGS, summary: 'Incoming batches per village and device', security, querystring: BatchQuerySchema, response: answers({ 200: BatchAnswerSchema }) } },
      async (request) => listBatches(storage, await deps.actor(request), request.query, deps.clock().now),
    )

    app.get(
      '/api/cases/:ref',
      {
        schema: {
          tags: TAGS,
          summary: 'One case by id or case number; ID, phone and account numbers masked unless revealed with a reason (audited)',
          security,
          params: CaseParamsSchema,
          querystring: CaseQuerySchema,
          response: answers({ 200: CaseAnswerSchema }),
        },
      },
      async (request) => getCaseView(storage, await deps.actor(request), request.params.ref, request.query, deps.clock()),
    )

    app.get(
      '/api/metrics/service',
      { schema: { tags: TAGS, summary: 'Service figures over a period beside the targets (township, county, administrator)', security, querystring: MetricsQuerySchema, response: answers({ 200: MetricsAnswerSchema }) } },
      async (request) => serviceMetrics(storage, await deps.actor(request), request.query),
    )

    app.get(
      '/api/metrics/service.csv',
      { schema: { tags: TAGS, summary: 'Service figures as CSV', security, querystring: MetricsQuerySchema, response: answers({ 200: Csv }) } },
      async (request, reply) => sendCsv(reply, 'service-metrics.csv', await metricsCsv(storage, await deps.actor(request), request.query)),
    )
  }
}
