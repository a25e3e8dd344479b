// Bearer tokens: a signed, expiring claim set (HMAC-SHA256). The secret is stored in the database
// so that every server instance on one PostgreSQL accepts every other instance's tokens.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { DaibanError, ErrorCode, isRole, type DivisionCode, type Role, type UserId } from '../../src/core'

export interface TokenClaims {
  sub: UserId
  role: Role
  scope: DivisionCode
  department?: string
  /** Seconds since the epoch. */
  iat: number
  exp: number
}

const PREFIX = 'v1'

export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url')
}

export function issueToken(secret: string, claims: Omit<TokenClaims, 'iat' | 'exp'>, ttlSeconds: number, now = Date.now()): { token: string; expiresAt: string } {
  const iat = Math.floor(now / 1000)
  const full: TokenClaims = { ...claims, iat, exp: iat + ttlSeconds }
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url')
  return { token: `${PREFIX}.${payload}.${sign(secret, payload)}`, expiresAt: new Date(full.exp * 1000).toISOString() }
}

export function verifyToken(secret: string, token: string, now = Date.now()): TokenClaims {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new DaibanError(ErrorCode.unauthenticated, 'malformed token')
  const [, payload, mac] = parts as [string, string, string]
  const expected = Buffer.from(sign(secret, payload))
  const given = Buffer.from(mac)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DaibanError(ErrorCode.unauthenticated, 'invalid token signature')
  let claims: TokenClaims
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims
  } catch {
    throw new DaibanError(ErrorCode.unauthenticated, 'malformed token')
  }
  if (!isRole(claims.role) || typeof claims.sub !== 'string' || typeof claims.exp !== 'number')
    throw new DaibanError(ErrorCode.unauthenticated, 'malformed token claims')
  if (claims.exp * 1000 <= now) throw new DaibanError(ErrorCode.tokenExpired, 'token has expired; log in again')
  return claims
}
