// Photos and scans, content-addressed by SHA-256. Uploads resume: HEAD says how many bytes the
// server holds, PUT continues from there (Upload-Offset / Upload-Length, as in tus). A blob counts
// only once its bytes hash to its name. Each uploader has its own unfinished upload; whether the
// server holds a photo is told only to those who may see it (sync-server/auth/blob-access.ts).

import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { canRead, DaibanError, ErrorCode, isBlobHash } from '../../src/core'
import { actorOf } from '../auth/authenticate'
import { DEFAULT_UPLOAD_QUOTA_BYTES, mayReadBlob } from '../auth/blob-access'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import { badRequest } from '../http/errors'
import { readBoundedBody } from '../limits/bounded-body'
import { Bytes, CaseBlobsAnswer, CaseIdParams, HashParams, UploadAnswer } from './blobs-schemas'

export const MAX_BLOB_BYTES = 10 * 1024 * 1024
/** One PUT's body; the device sends 256 KiB (a slow link finishes it well within the request timeout). */
export const MAX_CHUNK_BYTES = 1024 * 1024

function hashParam(params: { hash: string }): string {
  const hash = params.hash
  if (!isBlobHash(hash)) throw badRequest('params.hash: a blob is named by its SHA-256 in 64 lowercase hex digits')
  return hash
}

function intHeader(value: string | string[] | undefined, name: string): number {
  const n = Number(value)
  if (value === undefined || !Number.isSafeInteger(n) || n < 0) throw badRequest(`${name} must be a whole number of bytes`)
  return n
}

const TAGS = ['photos']
const AUTH = { auth: 'active' } as const

export function blobRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  const quota = ctx.config.uploadQuotaBytes ?? DEFAULT_UPLOAD_QUOTA_BYTES

  return async (app) => {
    // A chunk's size bound depends on what the server already holds: the handler reads the body
    // itself, so the parser leaves the stream unread.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', (_request, _payload, done) => done(null))

    app.head(
      '/api/blobs/:hash',
      { config: AUTH, schema: { tags: TAGS, summary: 'How many bytes of a photo the server holds (Upload-Offset, Upload-Length, Blob-Complete headers)', params: HashParams } },
      async (request, reply) => {
        const actor = actorOf(claimsOf(request))
        const hash = hashParam(request.params)
        const held = await ctx.storage.blobInfo(hash)
        // Anyone outside the photo's cases is answered from their own upload only, as for an unknown hash.
        const info = held && (await mayReadBlob(ctx.storage, actor, hash)) ? held : await ctx.storage.uploadInfo(hash, actor.userId)
        reply.header('cache-control', 'no-store')
        if (!info) return reply.code(404).header('upload-offset', '0').send()
        return reply
          .code(200)
          .header('upload-offset', String(info.received))
          .header('upload-length', String(info.size))
          .header('blob-complete', info.complete ? '1' : '0')
          .send()
      },
    )

    app.put(
      '/api/blobs/:hash',
      {
        config: AUTH,
        schema: {
          tags: TAGS,
          summary: 'Upload (a chunk of) a photo from Upload-Offset; at most 1 MiB per request',
          params: HashParams,
          body: Bytes,
          response: answers({ 200: UploadAnswer, 201: UploadAnswer }),
        },
        // The hash is checked by hashParam, the headers and the bytes by the handler as they arrive.
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const req = request.raw
        const actor = actorOf(claimsOf(request))
        const hash = hashParam(request.params)
        const offset = intHeader(req.headers['upload-offset'], 'Upload-Offset')
        const total = intHeader(req.headers['upload-length'], 'Upload-Length')
        if (total > MAX_BLOB_BYTES) throw new DaibanError(ErrorCode.tooLarge, `a photo may be at most ${MAX_BLOB_BYTES} bytes; downscale it first`)
        if (total === 0) throw badRequest('an empty file is not a photo')
        const held = await ctx.storage.blobInfo(hash)
        if (held && (await mayReadBlob(ctx.storage, actor, hash))) return { ok: true as const, hash, received: held.size, complete: true }
        const info = await ctx.storage.uploadInfo(hash, actor.userId)
        if (info && info.size !== total) {
          // Only this account's own false start is in the way: drop it and begin again.
          await ctx.storage.discardBlobChunks(hash, actor.userId)
          throw new DaibanError(ErrorCode.conflict, `your upload was started with Upload-Length ${info.size}; start again from 0`, { offset: 0 })
        }
        const have = info?.received ?? 0
        if (offset !== have) throw new DaibanError(ErrorCode.conflict, `the server holds ${have} bytes; continue from there`, { offset: have })
        let received = have
        // All bytes may already be here (a crash between the last chunk and its check): then an
        // empty PUT at the end finishes the upload.
        if (have < total) {
          if (offset === 0 && (await ctx.storage.unlinkedBytesOf(actor.userId)) + total > quota)
            throw new DaibanError(ErrorCode.tooLarge, `this account holds ${quota} bytes of photos no case refers to yet; sync the cases first`, { quota })
          const max = Math.min(MAX_CHUNK_BYTES, total - offset)
          const lease = ctx.bodyBudget.lease()
          try {
            const chunk = await readBoundedBody(req, { maxWire: max, maxInflated: max, gzip: false }, lease)
            if (chunk.length === 0) throw badRequest('the body is empty')
            await ctx.storage.putBlobChunk(hash, actor.userId, offset, total, chunk)
            received = offset + chunk.length
          } finally {
            lease.release()
          }
          if (received < total) return { ok: true as const, hash, received, complete: false }
        }
        const data = await ctx.storage.blobChunks(hash, actor.userId)
        const actual = createHash('sha256').update(data).digest('hex')
        if (data.length !== total || actual !== hash) {
          await ctx.storage.discardBlobChunks(hash, actor.userId)
          throw new DaibanError(ErrorCode.validation, 'the bytes do not hash to the blob name; the upload was discarded', { sha256: actual })
        }
        await ctx.storage.completeBlob(hash, actor.userId, data)
        reply.code(201)
        return { ok: true as const, hash, received, complete: true }
      },
    )

    app.get(
      '/api/blobs/:hash',
      { config: AUTH, exposeHeadRoute: false, schema: { tags: TAGS, summary: 'A photo’s bytes (for those who may read a case referring to it, and its uploader)', params: HashParams, response: answers({ 200: Bytes }) } },
      async (request, reply) => {
        const actor = actorOf(claimsOf(request))
        const hash = hashParam(request.params)
        // Readable by whoever may read a case that refers to it, and by whoever uploaded it.
        const data = (await mayReadBlob(ctx.storage, actor, hash)) ? await ctx.storage.getBlob(hash) : undefined
        if (!data) throw new DaibanError(ErrorCode.notFound, 'no such photo in your scope')
        return reply.type('application/octet-stream').header('cache-control', 'private, max-age=31536000, immutable').send(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
      },
    )

    app.get(
      '/api/cases/:id/blobs',
      { config: AUTH, schema: { tags: TAGS, summary: 'The photos a case refers to, and which are missing on the server', params: CaseIdParams, response: answers({ 200: CaseBlobsAnswer }) } },
      async (request) => {
        const actor = actorOf(claimsOf(request))
        const c = await ctx.storage.getCase(request.params.id)
        if (!c || !canRead(actor, c.state)) throw new DaibanError(ErrorCode.notFound, 'no such case in your scope')
        const blobs = await ctx.storage.blobsOfCase(c.id)
        return { ok: true as const, caseId: c.id, blobs, missing: blobs.filter((b) => !b.present).length }
      },
    )
  }
}
