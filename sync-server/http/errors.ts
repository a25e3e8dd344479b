// Maps the core's machine-readable error codes to HTTP statuses. Every error answer has the same
// JSON shape: { ok: false, error: { code, message, details? } }.

import { DaibanError, ErrorCode } from '../../src/core'

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  token_expired: 401,
  forbidden: 403,
  out_of_scope: 403,
  not_found: 404,
  conflict: 409,
  too_many_attempts: 429,
  too_large: 413,
  unsupported_version: 400,
  invalid_transition: 409,
  config: 500,
  internal: 500,
  account_disabled: 401,
  unknown_device: 403,
  device_revoked: 403,
  password_change_required: 403,
  busy: 503,
  version_exists: 409,
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code]
}

export function errorBody(e: DaibanError): { ok: false; error: { code: string; message: string; details?: unknown } } {
  return { ok: false, error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } }
}

export const badRequest = (message: string, details?: unknown) => new DaibanError(ErrorCode.badRequest, message, details)
