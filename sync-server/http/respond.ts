// Writing JSON answers; every API answer is uncacheable and carries no sniffable content type.

import type { ServerResponse } from 'node:http'
import { DaibanError } from '../../src/core'
import { errorBody, statusOf } from './errors'

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  })
  res.end(text)
}

export function sendError(res: ServerResponse, e: DaibanError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  sendJson(res, statusOf(e.code), errorBody(e), headers)
}
