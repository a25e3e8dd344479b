// POST /api/sync: the binary sync endpoint. Bodies may be gzip-compressed both ways (village links
// are slow); decompression streams under a per-request bound and the server's byte budget, so
// small bombs cannot exhaust memory (sync-server/limits/). The body is read by this plugin's
// content-type parser, after the sign-in (onRequest) and before the handler.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { promisify } from 'node:util'
import { gzip, constants as zlib } from 'node:zlib'
import { DaibanError, decodeSyncRequest, encodeSyncResponse, ErrorCode, ProtocolError, SYNC_CONTENT_TYPE } from '../../src/core'
import { actorOf } from '../auth/authenticate'
import { presentedCredential, verifiedDevice } from '../auth/device-credential'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import { readBoundedBody } from '../limits/bounded-body'
import { recordDeviceReport } from '../sync/device-report'
import type { Lease } from '../limits/byte-budget'
import type { SyncService } from '../sync/service'

const gzipAsync = promisify(gzip)

/**
 * The largest honest push measured (bench/push-size.ts: 500 complete cases with notes, one
 * request) is 1.15 MB inflated, 131 KB gzipped; the engine caps a push near 1 MiB of updates plus
 * one case of at most 1 MiB. 4 MiB leaves room for both, and no more.
 */
export const MAX_SYNC_BODY = 4 * 1024 * 1024
export const MAX_SYNC_INFLATED = 4 * 1024 * 1024
const COMPRESS_FROM = 1024

declare module 'fastify' {
  interface FastifyRequest {
    /** The byte-budget lease of a sync body, held until the answer is sent (this plugin only). */
    syncLease: Lease | null
  }
}

const SyncFrame = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: `a sync frame (${SYNC_CONTENT_TYPE}, docs/protocol.md), optionally gzip-encoded` })

export function syncRoutes(ctx: ServerContext, sync: SyncService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Only this content type; any other is a 400 (error-handler.ts). The lease is held until the
    // answer is sent: decoding and applying a body costs memory too.
    // Callback style: an async parser adds a promise and a tick to every sync.
    app.addContentTypeParser(SYNC_CONTENT_TYPE, (request: FastifyRequest, _payload, done) => {
      const lease = ctx.bodyBudget.lease()
      request.syncLease = lease
      readBoundedBody(request.raw, { maxWire: MAX_SYNC_BODY, maxInflated: MAX_SYNC_INFLATED, gzip: true }, lease).then((body) => done(null, body), done)
    })
    app.decorateRequest('syncLease', null)
    app.addHook('onResponse', (request, _reply, done) => {
      request.syncLease?.release()
      done()
    })
    app.addHook('onRequestAbort', (request, done) => {
      request.syncLease?.release()
      done()
    })

    app.post(
      '/api/sync',
      {
        config: { auth: 'active' },
        schema: {
          tags: ['sync'],
          summary: 'Push updates and commands, pull changes: one binary frame each way (docs/protocol.md)',
          description: 'The device presents the credential issued at enrolment in the X-Daiban-Device header.',
          body: SyncFrame,
          response: answers({ 200: SyncFrame }),
        },
        // The frame is checked by the protocol decoder, not by a JSON schema.
        validatorCompiler: () => () => true,
        // The frame is sent as bytes; only error answers are serialized.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request, reply) => {
        const claims = claimsOf(request)
        const body = request.body as unknown
        if (!Buffer.isBuffer(body)) throw new DaibanError(ErrorCode.badRequest, `content-type must be ${SYNC_CONTENT_TYPE}`)
        let decoded
        try {
          decoded = decodeSyncRequest(body)
        } catch (e) {
          if (e instanceof ProtocolError) throw new DaibanError(e.code === 'unsupported_version' ? ErrorCode.unsupportedVersion : ErrorCode.badRequest, e.message)
          throw e
        }
        // The writes are recorded as the enrolled device's, proven by its credential (not taken on trust).
        await verifiedDevice({ secret: ctx.secret, guard: ctx.guard, mode: ctx.config.deviceCredentials ?? 'optional' }, claims, presentedCredential(request.raw), decoded.header.deviceId)
        if (decoded.header.client) await recordDeviceReport(ctx.storage, claims.sub, decoded.header.deviceId, decoded.header.client, Date.now())
        const response = await sync.handle(actorOf(claims), decoded)
        let out: Uint8Array = encodeSyncResponse(response)
        reply.header('content-type', SYNC_CONTENT_TYPE).header('cache-control', 'no-store')
        if (out.byteLength >= COMPRESS_FROM && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
          out = await gzipAsync(out, { level: zlib.Z_BEST_SPEED })
          reply.header('content-encoding', 'gzip')
        }
        return reply.send(Buffer.from(out.buffer, out.byteOffset, out.byteLength))
      },
    )
  }
}
