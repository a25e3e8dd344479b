// Photos and scans, content-addressed by SHA-256. Uploads resume: HEAD says how many bytes the
// server holds, PUT continues from there (Upload-Offset / Upload-Length, as in tus). A blob counts
// only once its bytes hash to its name.

import { createHash } from 'node:crypto'
import { canRead, DaibanError, ErrorCode, isBlobHash } from '../../src/core'
import { actorOf, authenticate } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { readBody } from '../http/body'
import { badRequest } from '../http/errors'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'

export const MAX_BLOB_BYTES = 10 * 1024 * 1024
export const MAX_CHUNK_BYTES = 2 * 1024 * 1024

function hashParam(params: Record<string, string>): string {
  const hash = params.hash ?? ''
  if (!isBlobHash(hash)) throw badRequest('a blob is named by its SHA-256 in 64 lowercase hex digits')
  return hash
}

function intHeader(value: string | string[] | undefined, name: string): number {
  const n = Number(value)
  if (value === undefined || !Number.isSafeInteger(n) || n < 0) throw badRequest(`${name} must be a whole number of bytes`)
  return n
}

export function blobRoutes(router: Router, ctx: ServerContext): void {
  router.on('HEAD', '/api/blobs/:hash', async ({ req, res, params }) => {
    authenticate(ctx.secret, req)
    const info = await ctx.storage.blobInfo(hashParam(params))
    if (!info) {
      res.writeHead(404, { 'upload-offset': '0', 'cache-control': 'no-store' })
      return void res.end()
    }
    res.writeHead(200, {
      'upload-offset': String(info.received),
      'upload-length': String(info.size),
      'blob-complete': info.complete ? '1' : '0',
      'cache-control': 'no-store',
    })
    res.end()
  })

  router.on('PUT', '/api/blobs/:hash', async ({ req, res, params }) => {
    authenticate(ctx.secret, req)
    const hash = hashParam(params)
    const offset = intHeader(req.headers['upload-offset'], 'Upload-Offset')
    const total = intHeader(req.headers['upload-length'], 'Upload-Length')
    if (total > MAX_BLOB_BYTES) throw new DaibanError(ErrorCode.tooLarge, `a photo may be at most ${MAX_BLOB_BYTES} bytes; downscale it first`)
    if (total === 0) throw badRequest('an empty file is not a photo')
    const info = await ctx.storage.blobInfo(hash)
    if (info?.complete) return sendJson(res, 200, { ok: true, hash, received: info.size, complete: true })
    if (info && info.size !== total) throw new DaibanError(ErrorCode.conflict, `this upload was started with Upload-Length ${info.size}`)
    const have = info?.received ?? 0
    if (offset !== have) throw new DaibanError(ErrorCode.conflict, `the server holds ${have} bytes; continue from there`, { offset: have })
    let received = have
    // All bytes may already be here (a crash between the last chunk and its check): then an
    // empty PUT at the end finishes the upload.
    if (have < total) {
      const chunk = await readBody(req, Math.min(MAX_CHUNK_BYTES, total - offset))
      if (chunk.length === 0) throw badRequest('the body is empty')
      await ctx.storage.putBlobChunk(hash, offset, total, chunk)
      received = offset + chunk.length
      if (received < total) return sendJson(res, 200, { ok: true, hash, received, complete: false })
    }
    const data = await ctx.storage.blobChunks(hash)
    const actual = createHash('sha256').update(data).digest('hex')
    if (data.length !== total || actual !== hash) {
      await ctx.storage.discardBlobChunks(hash)
      throw new DaibanError(ErrorCode.validation, 'the bytes do not hash to the blob name; the upload was discarded', { sha256: actual })
    }
    await ctx.storage.completeBlob(hash, data)
    sendJson(res, 201, { ok: true, hash, received, complete: true })
  })

  router.on('GET', '/api/blobs/:hash', async ({ req, res, params }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    const hash = hashParam(params)
    // Readable by whoever may read a case that refers to it.
    let allowed = false
    for (const caseId of await ctx.storage.casesOfBlob(hash)) {
      const c = await ctx.storage.getCase(caseId)
      if (c && canRead(actor, c.state)) {
        allowed = true
        break
      }
    }
    const data = allowed ? await ctx.storage.getBlob(hash) : undefined
    if (!data) throw new DaibanError(ErrorCode.notFound, 'no such photo in your scope')
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.byteLength, 'cache-control': 'private, max-age=31536000, immutable' })
    res.end(data)
  })

  router.on('GET', '/api/cases/:id/blobs', async ({ req, res, params }) => {
    const actor = actorOf(authenticate(ctx.secret, req))
    const c = await ctx.storage.getCase(params.id ?? '')
    if (!c || !canRead(actor, c.state)) throw new DaibanError(ErrorCode.notFound, 'no such case in your scope')
    const blobs = await ctx.storage.blobsOfCase(c.id)
    sendJson(res, 200, { ok: true, caseId: c.id, blobs, missing: blobs.filter((b) => !b.present).length })
  })
}
