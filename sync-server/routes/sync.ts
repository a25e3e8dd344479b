// POST /api/sync: the binary sync endpoint. Bodies may be gzip-compressed both ways (village links
// are slow); decompression is bounded so a small bomb cannot exhaust memory.

import { promisify } from 'node:util'
import { gunzip, gzip, constants as zlib } from 'node:zlib'
import { DaibanError, decodeSyncRequest, encodeSyncResponse, ErrorCode, ProtocolError, SYNC_CONTENT_TYPE } from '../../src/core'
import { actorOf, authenticateActive } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { readBody } from '../http/body'
import { badRequest } from '../http/errors'
import type { Router } from '../http/router'
import type { SyncService } from '../sync/service'

const gunzipAsync = promisify(gunzip)
const gzipAsync = promisify(gzip)

export const MAX_SYNC_BODY = 8 * 1024 * 1024
export const MAX_SYNC_INFLATED = 32 * 1024 * 1024
const COMPRESS_FROM = 1024

export function syncRoutes(router: Router, ctx: ServerContext, sync: SyncService): void {
  router.on('POST', '/api/sync', async ({ req, res }) => {
    const actor = actorOf(await authenticateActive(ctx, req))
    const mediaType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (mediaType !== SYNC_CONTENT_TYPE) throw badRequest(`content-type must be ${SYNC_CONTENT_TYPE}`)
    let body = await readBody(req, MAX_SYNC_BODY)
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase()
    if (encoding === 'gzip') {
      try {
        body = await gunzipAsync(body, { maxOutputLength: MAX_SYNC_INFLATED })
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DaibanError(ErrorCode.tooLarge, `inflated body exceeds ${MAX_SYNC_INFLATED} bytes`)
        throw badRequest('body is not valid gzip')
      }
    } else if (encoding !== 'identity') throw badRequest(`unsupported content-encoding ${encoding}`)

    let request
    try {
      request = decodeSyncRequest(body)
    } catch (e) {
      if (e instanceof ProtocolError)
        throw new DaibanError(e.code === 'unsupported_version' ? ErrorCode.unsupportedVersion : ErrorCode.badRequest, e.message)
      throw e
    }
    const response = await sync.handle(actor, request)
    let out: Uint8Array = encodeSyncResponse(response)
    const headers: Record<string, string> = { 'content-type': SYNC_CONTENT_TYPE, 'cache-control': 'no-store' }
    if (out.byteLength >= COMPRESS_FROM && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      out = await gzipAsync(out, { level: zlib.Z_BEST_SPEED })
      headers['content-encoding'] = 'gzip'
    }
    headers['content-length'] = String(out.byteLength)
    res.writeHead(200, headers)
    res.end(out)
  })
}
