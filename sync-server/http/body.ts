// Reading request bodies with a hard size limit, so a slow or huge upload cannot exhaust memory.

import type { IncomingMessage } from 'node:http'
import { DaibanError, ErrorCode } from '../../src/core'
import { badRequest } from './errors'

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) throw new DaibanError(ErrorCode.tooLarge, `request body exceeds ${limit} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new DaibanError(ErrorCode.tooLarge, `request body exceeds ${limit} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '')
  if (!/^application\/json\b/i.test(type)) throw badRequest('content-type must be application/json')
  const body = await readBody(req, limit)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw badRequest('body is not valid JSON')
  }
}
