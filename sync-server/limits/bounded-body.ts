// Reads a request body under three bounds: bytes on the wire, bytes after gzip (inflated as a
// stream, stopped the moment it passes its limit, never buffered whole first) and the server's
// byte budget, so neither a large body nor a small bomb can exhaust memory.

import type { IncomingMessage } from 'node:http'
import { createGunzip } from 'node:zlib'
import { DaibanError, ErrorCode } from '../../src/core'
import type { Lease } from './byte-budget'

export interface BodyLimits {
  /** Bytes as sent. */
  maxWire: number
  /** Bytes after Content-Encoding: gzip is undone (the same as maxWire for plain bodies). */
  maxInflated: number
  /** Accept Content-Encoding: gzip. */
  gzip: boolean
}

const tooLarge = (what: string, limit: number) => new DaibanError(ErrorCode.tooLarge, `${what} exceeds ${limit} bytes`)

export async function readBoundedBody(req: IncomingMessage, limits: BodyLimits, lease: Lease): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limits.maxWire) throw tooLarge('request body', limits.maxWire)
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase()
  if (encoding === 'gzip' && limits.gzip) return inflate(req, limits, lease)
  if (encoding !== 'identity') throw new DaibanError(ErrorCode.badRequest, `unsupported content-encoding ${encoding}`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limits.maxWire) throw tooLarge('request body', limits.maxWire)
    await lease.take(chunk.length)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

async function inflate(req: IncomingMessage, limits: BodyLimits, lease: Lease): Promise<Buffer> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 })
  let wire = 0
  let wireProblem: DaibanError | null = null
  // Feeds the wire into the inflater, respecting its back-pressure. Events, not an iterator: an
  // iterator left early would destroy the request, and the client would see a reset, not the 413.
  const onData = (chunk: Buffer) => {
    wire += chunk.length
    if (wire > limits.maxWire) {
      wireProblem = tooLarge('request body', limits.maxWire)
      return void gunzip.destroy(wireProblem)
    }
    if (!gunzip.write(chunk)) {
      req.pause()
      gunzip.once('drain', () => req.resume())
    }
  }
  const onEnd = () => gunzip.end()
  const onError = (e: Error) => gunzip.destroy(e)
  req.on('data', onData)
  req.once('end', onEnd)
  req.once('error', onError)
  const out: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limits.maxInflated) throw tooLarge('inflated body', limits.maxInflated)
      await lease.take(chunk.length)
      out.push(chunk)
    }
  } catch (e) {
    if (wireProblem) throw wireProblem
    if (e instanceof DaibanError) throw e
    throw new DaibanError(ErrorCode.badRequest, 'body is not valid gzip')
  } finally {
    req.off('data', onData)
    req.off('end', onEnd)
    req.off('error', onError)
    gunzip.destroy()
  }
  return Buffer.concat(out)
}
