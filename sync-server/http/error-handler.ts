// Turns anything thrown while answering into the project's error shape
// { ok: false, error: { code, message } }: DaibanErrors by their code, schema failures as one
// 400 naming the field, Fastify's own parser errors (bad JSON, wrong content type, too large) as
// 400 / 413, anything else as a logged 500 without details.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DaibanError, ErrorCode, isDaibanError } from '../../src/core'
import { errorBody, statusOf } from './errors'

interface AjvError {
  instancePath?: string
  keyword?: string
  message?: string
  params?: { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] }
}

const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

/** One reason naming the field, e.g. `body.deviceId: must match pattern "…"`. */
export function validationMessage(errors: AjvError[], context: string | undefined): string {
  const part = PART[context ?? 'body'] ?? context ?? 'body'
  const e = errors[0] ?? {}
  const at = (e.instancePath ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.')
  const field = (name: string) => [part, at, name.slice(0, 40)].filter(Boolean).join('.')
  if (e.keyword === 'required' && e.params?.missingProperty) return `${field(e.params.missingProperty)}: is required`
  if (e.keyword === 'additionalProperties' && e.params?.additionalProperty) return `${field(e.params.additionalProperty)}: unknown field`
  return `${field('')}: ${e.message ?? 'is invalid'}`
}

function translate(e: FastifyError & { validation?: AjvError[]; validationContext?: string }): DaibanError | null {
  if (e.validation) return new DaibanError(ErrorCode.badRequest, validationMessage(e.validation, e.validationContext))
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DaibanError(ErrorCode.badRequest, 'content-type is not accepted here (JSON endpoints take application/json)')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DaibanError(ErrorCode.tooLarge, 'request body is too large')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DaibanError(ErrorCode.badRequest, 'body is empty; send a JSON object')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new DaibanError(ErrorCode.badRequest, 'body is not valid JSON')
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new DaibanError(ErrorCode.badRequest, 'a path parameter is too long')
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new DaibanError(ErrorCode.badRequest, 'malformed URL')
    default:
      break
  }
  if (e instanceof SyntaxError || e.statusCode === 400) return new DaibanError(ErrorCode.badRequest, e instanceof SyntaxError ? 'body is not valid JSON' : e.message || 'bad request')
  if (e.statusCode === 413) return new DaibanError(ErrorCode.tooLarge, 'request body is too large')
  if (e.statusCode === 415) return new DaibanError(ErrorCode.badRequest, 'content-type is not accepted here')
  return null
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = isDaibanError(error) ? error : translate(error as FastifyError)
  // An error answered before the body was read: let the client finish sending (so it sees the
  // answer instead of a reset), then close the connection.
  if (!request.raw.complete) {
    reply.header('connection', 'close')
    request.raw.resume()
  }
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy()
    return reply
  }
  const e = known ?? new DaibanError(ErrorCode.internal, 'internal error')
  if (!known) request.log.error({ err: error, path: request.url }, 'request failed')
  const retry = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds
  if (retry) reply.header('retry-after', String(retry))
  return reply.code(statusOf(e.code)).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(errorBody(e))
}

/**
 * Requests the HTTP parser refuses before any route sees them (headers too large, malformed
 * request line): answered in the same shape, then the connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy()
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW'
  const status = tooLarge ? 431 : 400
  const body = JSON.stringify({ ok: false, error: { code: 'bad_request', message: tooLarge ? 'request headers (or the URL) are too large' : 'malformed HTTP request' } })
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
  )
}
