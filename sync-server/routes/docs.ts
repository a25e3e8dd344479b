// The API described from the routes' own schemas: OpenAPI 3.1 at GET /api/openapi.json and a
// viewer at /api/docs (Swagger UI, its files served by this server: no CDN). Registered on the
// root instance before any route, so every route's schema is collected.

import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { DOCS_CSP } from '../http/security-headers'

export const OPENAPI_PATH = '/api/openapi.json'
export const DOCS_PATH = '/api/docs'

export async function registerDocs(app: FastifyInstance, info: { version: string; protocol: number }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Daiban sync server (代办)',
        version: info.version,
        description: `The HTTP API of the village service stations' server. Errors are always { ok: false, error: { code, message } }. Sync protocol version ${info.protocol} (docs/protocol.md); WebSockets /yjs/{room} and /api/live are described in docs/protocol.md.`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the token from POST /api/login' } } },
    },
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PATH,
    staticCSP: DOCS_CSP,
    uiConfig: { url: OPENAPI_PATH, docExpansion: 'list', deepLinking: false, validatorUrl: null } as never,
  })
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) => reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(JSON.stringify(app.swagger())))
}
