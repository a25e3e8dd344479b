// POST /api/sync: the binary sync endpoint. Bodies may be gzip-compressed both ways (village links
// are slow); decompression streams under a per-request bound and the server's byte budget, so
// small bombs cannot exhaust memory (sync-server/limits/).

import type { IncomingMessage, ServerResponse } from 'node:http'
import { promisify } from 'node:util'
import { gzip, constants as zlib } from 'node:zlib'
import { DaibanError, decodeSyncRequest, encodeSyncResponse, ErrorCode, ProtocolError, SYNC_CONTENT_TYPE } from '../../src/core'
import { actorOf, authenticateActive } from '../auth/authenticate'
import { presentedCredential, verifiedDevice } from '../auth/device-credential'
import type { TokenClaims } from '../auth/tokens'
import type { ServerContext } from '../context'
import { badRequest } from '../http/errors'
import type { Router } from '../http/router'
import { readBoundedBody } from '../limits/bounded-body'
import { recordDeviceReport } from '../sync/device-report'
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

export function syncRoutes(router: Router, ctx: ServerContext, sync: SyncService): void {
  router.on('POST', '/api/sync', async ({ req, res }) => {
    const claims = await authenticateActive(ctx, req)
    const mediaType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (mediaType !== SYNC_CONTENT_TYPE) throw badRequest(`content-type must be ${SYNC_CONTENT_TYPE}`)
    // The lease is held until the answer is sent: decoding and applying a body costs memory too.
    const lease = ctx.bodyBudget.lease()
    try {
      const body = await readBoundedBody(req, { maxWire: MAX_SYNC_BODY, maxInflated: MAX_SYNC_INFLATED, gzip: true }, lease)
      await answer(req, res, claims, body)
    } finally {
      lease.release()
    }
  })

  async function answer(req: IncomingMessage, res: ServerResponse, claims: TokenClaims, body: Buffer): Promise<void> {
    let request
    try {
      request = decodeSyncRequest(body)
    } catch (e) {
      if (e instanceof ProtocolError)
        throw new DaibanError(e.code === 'unsupported_version' ? ErrorCode.unsupportedVersion : ErrorCode.badRequest, e.message)
      throw e
    }
    // The writes are recorded as the enrolled device's, proven by its credential (not taken on trust).
    await verifiedDevice(
      { secret: ctx.secret, guard: ctx.guard, mode: ctx.config.deviceCredentials ?? 'optional' },
      claims,
      presentedCredential(req),
      request.header.deviceId,
    )
    if (request.header.client) await recordDeviceReport(ctx.storage, claims.sub, request.header.deviceId, request.header.client, Date.now())
    const response = await sync.handle(actorOf(claims), request)
    let out: Uint8Array = encodeSyncResponse(response)
    const headers: Record<string, string> = { 'content-type': SYNC_CONTENT_TYPE, 'cache-control': 'no-store' }
    if (out.byteLength >= COMPRESS_FROM && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      out = await gzipAsync(out, { level: zlib.Z_BEST_SPEED })
      headers['content-encoding'] = 'gzip'
    }
    headers['content-length'] = String(out.byteLength)
    res.writeHead(200, headers)
    res.end(out)
  }
}
