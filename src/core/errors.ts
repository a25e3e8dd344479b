// One error type for the whole system, carrying a machine-readable code so that the server
// can map it to an HTTP status and the UI to a message without parsing text.

export const ErrorCode = {
  badRequest: 'bad_request',
  validation: 'validation',
  unauthenticated: 'unauthenticated',
  tokenExpired: 'token_expired',
  forbidden: 'forbidden',
  outOfScope: 'out_of_scope',
  notFound: 'not_found',
  conflict: 'conflict',
  tooManyAttempts: 'too_many_attempts',
  tooLarge: 'too_large',
  unsupportedVersion: 'unsupported_version',
  invalidTransition: 'invalid_transition',
  config: 'config',
  internal: 'internal',
  accountDisabled: 'account_disabled',
  unknownDevice: 'unknown_device',
  deviceRevoked: 'device_revoked',
  /** An administrator reset the password: only changing it (POST /api/account/password) is allowed. */
  passwordChangeRequired: 'password_change_required',
  busy: 'busy',
  versionExists: 'version_exists',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export class DaibanError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'DaibanError'
    this.code = code
    this.details = details
  }
}

export function isDaibanError(e: unknown): e is DaibanError {
  return e instanceof DaibanError
}
