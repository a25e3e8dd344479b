// Login and "who am I". Wrong credentials get one message whether the user exists or not, and
// repeated failures are slowed down per username and per address.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DaibanError, ErrorCode } from '../../src/core'
import { mustChangePassword } from '../admin/accounts'
import { clientAddress } from '../auth/client-address'
import { verifyAgainstDummy, verifyPassword } from '../auth/password'
import { loginKeys } from '../auth/throttle'
import { issueToken } from '../auth/tokens'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import { LoginAnswer, LoginBody, MeAnswer } from './session-schemas'

const TAGS = ['session']

export function sessionRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/login',
      { schema: { tags: TAGS, summary: 'Sign in with username and password; answers a bearer token', body: LoginBody, response: answers({ 200: LoginAnswer }) } },
      async (request) => {
        const { username, password } = request.body
        const name = username.trim().toLowerCase()
        const address = clientAddress(request.raw, ctx.config.trustProxy === true)
        const keys = loginKeys(name, address)
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
          ctx.log.warn({ username: name, address }, 'login failed')
          throw new DaibanError(ErrorCode.unauthenticated, 'wrong username or password')
        }
        await ctx.loginThrottle.succeed(keys)
        const { token, expiresAt } = issueToken(
          ctx.secret,
          { sub: user.id, role: user.role, scope: user.scope, ...(user.department ? { department: user.department } : {}) },
          ctx.config.tokenTtlSeconds,
        )
        ctx.log.info({ username: name, role: user.role }, 'login')
        return {
          ok: true as const,
          token,
          expiresAt,
          user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, scope: user.scope, department: user.department },
          // After an administrator's reset the app asks for a new password before anything else.
          mustChangePassword: await mustChangePassword(ctx.storage, user.id),
        }
      },
    )

    app.get('/api/me', { config: { auth: 'token' }, schema: { tags: TAGS, summary: 'The signed-in user', response: answers({ 200: MeAnswer }) } }, async (request) => {
      const claims = claimsOf(request)
      const user = await ctx.storage.getUser(claims.sub)
      if (!user || user.disabled) throw new DaibanError(ErrorCode.unauthenticated, 'this account no longer exists')
      return {
        ok: true as const,
        user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, scope: user.scope, department: user.department },
        expiresAt: new Date(claims.exp * 1000).toISOString(),
      }
    })
  }
}
