// Login and "who am I". Wrong credentials get one message whether the user exists or not, and
// repeated failures are slowed down per username and per address.

import { DaibanError, ErrorCode } from '../../src/core'
import { authenticate } from '../auth/authenticate'
import { verifyAgainstDummy, verifyPassword } from '../auth/password'
import { clientAddress } from '../auth/client-address'
import { loginKeys } from '../auth/throttle'
import { issueToken } from '../auth/tokens'
import { mustChangePassword } from '../admin/accounts'
import type { ServerContext } from '../context'
import { JSON_LIMIT } from '../context'
import { readJson } from '../http/body'
import { badRequest } from '../http/errors'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'

export function sessionRoutes(router: Router, ctx: ServerContext): void {
  router.on('POST', '/api/login', async ({ req, res }) => {
    const body = await readJson(req, JSON_LIMIT)
    if (typeof body !== 'object' || body === null) throw badRequest('body must be an object {username, password}')
    const { username, password } = body as Record<string, unknown>
    if (typeof username !== 'string' || username.length < 1 || username.length > 64) throw badRequest('username must be text of 1–64 characters')
    if (typeof password !== 'string' || password.length < 1 || password.length > 256) throw badRequest('password must be text of 1–256 characters')
    const name = username.trim().toLowerCase()
    const keys = loginKeys(name, clientAddress(req, ctx.config.trustProxy === true))
    // Counted before the password is checked: parallel guesses wait their turn like sequential ones.
    const wait = await ctx.loginThrottle.reserve(keys)
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000)
      throw new DaibanError(ErrorCode.tooManyAttempts, `too many failed logins; try again in ${seconds} s`, { retryAfterSeconds: seconds })
    }

    const user = await ctx.storage.findUserByUsername(name)
    const good = user && !user.disabled ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password)
    if (!user || !good) {
      await ctx.loginThrottle.fail(keys)
      ctx.log.warn({ username: name, address: clientAddress(req, ctx.config.trustProxy === true) }, 'login failed')
      throw new DaibanError(ErrorCode.unauthenticated, 'wrong username or password')
    }
    await ctx.loginThrottle.succeed(keys)
    const { token, expiresAt } = issueToken(
      ctx.secret,
      { sub: user.id, role: user.role, scope: user.scope, ...(user.department ? { department: user.department } : {}) },
      ctx.config.tokenTtlSeconds,
    )
    ctx.log.info({ username: name, role: user.role }, 'login')
    sendJson(res, 200, {
      ok: true,
      token,
      expiresAt,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, scope: user.scope, department: user.department },
      // After an administrator's reset the app asks for a new password before anything else.
      mustChangePassword: await mustChangePassword(ctx.storage, user.id),
    })
  })

  router.on('GET', '/api/me', async ({ req, res }) => {
    const claims = authenticate(ctx.secret, req)
    const user = await ctx.storage.getUser(claims.sub)
    if (!user || user.disabled) throw new DaibanError(ErrorCode.unauthenticated, 'this account no longer exists')
    sendJson(res, 200, {
      ok: true,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, scope: user.scope, department: user.department },
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    })
  })
}
