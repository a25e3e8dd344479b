// Turns a request's bearer token into the acting user. Every API route except health and login
// goes through here; scopes are then checked per case by the core rules.

import type { IncomingMessage } from 'node:http'
import { DaibanError, ErrorCode, type Actor, type Department, type Role } from '../../src/core'
import type { AccessGuard } from './access-guard'
import { verifyToken, type TokenClaims } from './tokens'

export function bearerToken(req: IncomingMessage, url?: URL): string | null {
  const h = req.headers.authorization
  if (h && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim()
  // Stock y-websocket clients can only pass query parameters.
  return url?.searchParams.get('token') ?? null
}

export function authenticate(secret: string, req: IncomingMessage, url?: URL): TokenClaims {
  const token = bearerToken(req, url)
  if (!token) throw new DaibanError(ErrorCode.unauthenticated, 'missing bearer token: log in first')
  return verifyToken(secret, token)
}

/** Verifies the token and that its account is still active (disabled accounts stop at once). */
export async function authenticateActive(ctx: { secret: string; guard: AccessGuard }, req: IncomingMessage, url?: URL): Promise<TokenClaims> {
  const claims = authenticate(ctx.secret, req, url)
  await ctx.guard.requireActive(claims)
  return claims
}

export function actorOf(claims: TokenClaims): Actor {
  return {
    userId: claims.sub,
    role: claims.role,
    scope: claims.scope,
    ...(claims.department ? { department: claims.department as Department } : {}),
  }
}

export function requireRole(claims: TokenClaims, ...roles: Role[]): void {
  if (!roles.includes(claims.role)) throw new DaibanError(ErrorCode.forbidden, `this needs the role ${roles.join(' or ')}`)
}
