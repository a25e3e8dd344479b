// After an administrator's reset, the account may do nothing but choose a new password: every API
// request carrying its token is answered 403 password_change_required, except changing the
// password (and asking whether it must). Sign-out needs no request (tokens are dropped on the
// device). Checked once per request before routing, so no route can forget it; sockets and
// syncs are checked again by AccessGuard.requireActive.

import type { IncomingMessage } from 'node:http'
import { passwordChangeRequired, type AccessGuard } from './access-guard'
import { bearerToken } from './authenticate'
import { verifyToken } from './tokens'

/** Paths a user with a pending password change may still call. */
export const PASSWORD_CHANGE_PATHS: readonly string[] = ['/api/account/password', '/api/login']

export async function requirePasswordChanged(ctx: { secret: string; guard: AccessGuard }, req: IncomingMessage, pathname: string): Promise<void> {
  if (!pathname.startsWith('/api/') || PASSWORD_CHANGE_PATHS.includes(pathname)) return
  const token = bearerToken(req)
  if (!token) return
  let sub: string
  try {
    sub = verifyToken(ctx.secret, token).sub
  } catch {
    return // the route answers a bad token in its own way
  }
  if (await ctx.guard.mustChangePassword(sub)) throw passwordChangeRequired()
}
