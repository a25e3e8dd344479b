// What a route plugin declares about itself: who may call it (checked in an onRequest hook, before
// any body is read) and the shared pieces of its schema (error answers, security).

import { Type, type TSchema } from 'typebox'
import type { Role } from '../../src/core'
import type { TokenClaims } from '../auth/tokens'

/** none: open; token: a valid bearer token; active: a valid token of an account still enabled. */
export type AuthMode = 'none' | 'token' | 'active'

export interface RouteAuth {
  auth?: AuthMode
  roles?: readonly Role[]
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token of the caller, set by the auth hook for routes with `config.auth`. */
    claims: TokenClaims | null
    /** The bearer token's claims as already verified by the password gate (api.ts), for the sign-in to reuse. */
    gateClaims: TokenClaims | null
  }
  interface FastifyContextConfig {
    auth?: AuthMode
    roles?: readonly Role[]
    /** A companion route that only answers 405 (not in the OpenAPI document). */
    methodNotAllowed?: boolean
  }
}

/** The shape of every error answer. */
export const ErrorAnswer = Type.Object(
  { ok: Type.Literal(false), error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) },
  { description: 'An error: a machine-readable code and one human-readable reason' },
)

/** A route's `response` map: its own answers plus the shared error shape for 4xx and 5xx. */
export function answers<T extends Record<number, TSchema>>(ok: T): T & { '4xx': typeof ErrorAnswer; '5xx': typeof ErrorAnswer } {
  return { ...ok, '4xx': ErrorAnswer, '5xx': ErrorAnswer }
}

/** `{ ok: true, ...fields }`, open to fields added later. */
export const Ok = <P extends Record<string, TSchema>>(props: P, description?: string) =>
  Type.Object({ ok: Type.Literal(true), ...props }, { additionalProperties: true, ...(description ? { description } : {}) })

/** The claims of a route with `config.auth` (set by the hook before the handler runs). */
export function claimsOf(request: { claims: TokenClaims | null }): TokenClaims {
  if (!request.claims) throw new Error('route has no config.auth: claims are not available')
  return request.claims
}
