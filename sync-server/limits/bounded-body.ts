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
  return readPlain(req, limits.maxWire, lease)
}

/**
 * A plain body, read with events rather than an async iterator (every sync passes here; the
 * iterator's promises per chunk cost more than the small body itself). The budget is taken
 * without waiting while it has room; when it is full, reading pauses until there is room or the
 * wait ends in 503. Past a bound the rest of the body is dropped unread and the answer closes
 * the connection.
 */
function readPlain(req: IncomingMessage, maxWire: number, lease: Lease): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    let waiting: Promise<void> | null = null
    const finish = (problem: Error | null) => {
      if (settled) return
      settled = true
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onFail)
      req.off('close', onClose)
      if (problem) {
        // The rest is read and dropped, so the client sees the answer (sent with
        // `connection: close`, which ends the socket after it) rather than a reset.
        if (!req.destroyed) req.resume()
        reject(problem)
      } else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxWire) return finish(tooLarge('request body', maxWire))
      chunks.push(chunk)
      if (lease.tryTake(chunk.length)) return
      req.pause()
      waiting = lease.take(chunk.length).then(() => {
        waiting = null
        if (!settled) req.resume()
      })
      waiting.catch(finish)
    }
    // 'end' may come while a take waits (the last chunk was the one that waited).
    const onEnd = () => (waiting ? waiting.then(() => finish(null), () => undefined) : finish(null))
    const onFail = (e: Error) => finish(e)
    const onClose = () => {
      if (!req.complete) finish(new DaibanError(ErrorCode.badRequest, 'the request body ended early'))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onFail)
    req.on('close', onClose)
  })
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
