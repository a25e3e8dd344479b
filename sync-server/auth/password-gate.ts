// After an administrator's reset, the account may do nothing but choose a new password: every API
// request carrying its token is answered 403 password_change_required, except changing the
// password (and asking whether it must). Sign-out needs no request (tokens are dropped on the
// device). Checked once per request before routing, so no route can forget it; sockets and
// syncs are checked again by AccessGuard.requireActive.

import type { IncomingMessage } from 'node:http'
import { passwordChangeRequired, type AccessGuard } from './access-guard'
import { bearerToken } from './authenticate'
import { verifyToken, type TokenClaims } from './tokens'

/** Paths a user with a pending password change may still call. */
export const PASSWORD_CHANGE_PATHS: readonly string[] = ['/api/account/password', '/api/login']

export interface GateVerdict {
  /** The token's claims when the gate verified it (the route's sign-in may reuse them), else null. */
  claims: TokenClaims | null
  /** Null when the answer was known at once (the guard's cache); else settles with it. */
  pending: Promise<void> | null
}

const open: GateVerdict = { claims: null, pending: null }

/**
 * The gate for one request, without a promise when the guard's cache answers (the common case:
 * every API request passes here). Throws password_change_required when the cache already knows.
 */
export function passwordGate(ctx: { secret: string; guard: AccessGuard }, req: IncomingMessage, pathname: string): GateVerdict {
  // The router decodes percent-escapes (/%61pi/queue reaches /api/queue), so the gate decides on the
  // decoded path; a path that cannot be decoded is gated (the router refuses it anyway).
  const path = decodedPath(pathname)
  if (path !== null && (!path.startsWith('/api/') || PASSWORD_CHANGE_PATHS.includes(path))) return open
  const token = bearerToken(req)
  if (!token) return open
  let claims: TokenClaims
  try {
    claims = verifyToken(ctx.secret, token)
  } catch {
    return open // the route answers a bad token in its own way
  }
  const cached = ctx.guard.cachedAccess(claims.sub)
  if (cached) {
    if (cached.mustChange) throw passwordChangeRequired()
    return { claims, pending: null }
  }
  return {
    claims,
    pending: ctx.guard.mustChangePassword(claims.sub).then((must) => {
      if (must) throw passwordChangeRequired()
    }),
  }
}

/** The path as the router matches it (percent-escapes decoded), or null when it cannot be decoded. */
export function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}
