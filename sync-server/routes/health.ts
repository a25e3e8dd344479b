// Liveness and readiness, for load balancers and the deployment guide: both open, both cheap.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { answers, ErrorAnswer, Ok } from '../http/api-types'
import { readiness } from '../observe/metrics'
import type { ApiDeps } from '../http/api'

const HealthAnswer = Ok({ storage: Type.String(), version: Type.String(), protocol: Type.Integer() })
const TAGS = ['operations']

export function healthRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  const { ctx } = deps
  return async (app) => {
    app.get('/api/health', { schema: { tags: TAGS, summary: 'The server is up: storage kind, version, sync protocol version', response: answers({ 200: HealthAnswer }) } }, async () => ({
      ok: true as const,
      storage: ctx.storage.kind,
      version: ctx.version,
      protocol: deps.protocolVersion,
    }))

    app.get('/api/ready', { schema: { tags: TAGS, summary: 'The database answers and its schema is current (503 not_ready otherwise)', response: answers({ 200: Ok({}), 503: ErrorAnswer }) } }, async (_request, reply) => {
      const r = await readiness(ctx.storage)
      if (r.ready) return { ok: true as const }
      return reply.code(503).send({ ok: false as const, error: { code: 'not_ready', message: r.reason } })
    })
  }
}
