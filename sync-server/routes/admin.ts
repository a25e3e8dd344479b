// Administration endpoints for the `admin` role, each limited to the administrator's county.
// Schemas (TypeBox, admin-schemas.ts) are checked before the handler runs: bounded strings,
// bounded lists, no extra properties.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { calendar, DaibanError, ErrorCode, validateArrangement, type Department, type Role, type YearArrangement } from '../../src/core'
import { changeOwnPassword, createAccount, listAccounts, mustChangePassword, resetPassword, setAccountDisabled } from '../admin/accounts'
import { queryAudit } from '../admin/audit-admin'
import { listItemVersions, saveItemVersion } from '../admin/catalogue-admin'
import { listDevices } from '../admin/devices-admin'
import { importDivisions, orgOfScope } from '../admin/org-admin'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import {
  AccountAnswer,
  AccountParams,
  AccountsAnswer,
  AdminCalendarAnswer,
  ArrangementBody,
  AuditAnswer,
  AuditQuerySchema,
  DevicesAnswer,
  Done,
  ImportAnswer,
  ImportBody,
  ItemAnswer,
  ItemCodeParams,
  ItemsAnswer,
  ItemVersionBody,
  MustChangeAnswer,
  NewAccountBody,
  OrgAnswer,
  PasswordBody,
  ResetAnswer,
  YearAnswer,
  YearParams,
} from './admin-schemas'
import { loadArrangement } from '../admin/calendar-load'

const DEVICE_HEADER = /^[A-Za-z0-9-]{1,64}$/
const TAGS = ['administration']
const ADMIN = { auth: 'token', roles: ['admin'] } as const

export function adminRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  /** The signed-in administrator, checked against the database (a disabled account is refused). */
  async function admin(request: FastifyRequest) {
    const claims = claimsOf(request)
    const user = await ctx.storage.getUser(claims.sub)
    if (!user || user.disabled) throw new DaibanError(ErrorCode.unauthenticated, 'this account is disabled or no longer exists')
    const device = String(request.headers['x-daiban-device'] ?? '')
    return { userId: user.id, scope: user.scope as string, deviceId: DEVICE_HEADER.test(device) ? device : 'web' }
  }

  return async (app) => {
    app.get('/api/admin/org', { config: ADMIN, schema: { tags: TAGS, summary: 'The administrator’s county: its townships and villages', response: answers({ 200: OrgAnswer }) } }, async (request) => {
      const a = await admin(request)
      return { ok: true as const, county: a.scope, units: await orgOfScope(ctx.storage, a.scope) }
    })

    app.post(
      '/api/admin/org/import',
      { config: ADMIN, bodyLimit: 512 * 1024, schema: { tags: TAGS, summary: 'Import townships and villages from CSV (dry run first)', body: ImportBody, response: answers({ 200: ImportAnswer }) } },
      async (request) => {
        const a = await admin(request)
        return { ok: true as const, ...(await importDivisions(ctx.storage, request.body.csv, a, request.body.dryRun ?? false)) }
      },
    )

    app.get('/api/admin/accounts', { config: ADMIN, schema: { tags: TAGS, summary: 'Accounts of the county', response: answers({ 200: AccountsAnswer }) } }, async (request) => {
      const a = await admin(request)
      return { ok: true as const, accounts: await listAccounts(ctx.storage, a.scope) }
    })

    app.post('/api/admin/accounts', { config: ADMIN, schema: { tags: TAGS, summary: 'Create an account in the county', body: NewAccountBody, response: answers({ 201: AccountAnswer }) } }, async (request, reply) => {
      const a = await admin(request)
      const body = request.body
      if (!body.scope.startsWith(a.scope)) throw new DaibanError(ErrorCode.outOfScope, `scope: ${body.scope} is outside your county ${a.scope}`)
      const user = await createAccount(ctx.storage, { ...body, username: body.username.trim().toLowerCase(), role: body.role as Role, department: (body.department ?? null) as Department | null }, a)
      reply.code(201)
      return { ok: true as const, account: (await listAccounts(ctx.storage, user.scope)).find((x) => x.id === user.id)! }
    })

    for (const [path, disabled] of [['disable', true], ['enable', false]] as const)
      app.post(
        `/api/admin/accounts/:id/${path}`,
        { config: ADMIN, schema: { tags: TAGS, summary: disabled ? 'Disable an account (its sessions stop at once)' : 'Enable an account again', params: AccountParams, response: answers({ 200: AccountAnswer }) } },
        async (request) => {
          const a = await admin(request)
          return { ok: true as const, account: await setAccountDisabled(ctx.storage, request.params.id, disabled, a) }
        },
      )

    app.post(
      '/api/admin/accounts/:id/reset-password',
      { config: ADMIN, schema: { tags: TAGS, summary: 'Reset an account’s password to a temporary one, to be changed at next sign-in', params: AccountParams, response: answers({ 200: ResetAnswer }) } },
      async (request) => {
        const a = await admin(request)
        const reset = await resetPassword(ctx.storage, request.params.id, a)
        await ctx.guard.userChanged(request.params.id) // the account's tokens stop working (but for the change) at once
        return { ok: true as const, ...reset }
      },
    )

    app.post(
      '/api/account/password',
      { config: { auth: 'token' }, schema: { tags: ['session'], summary: 'Change one’s own password', body: PasswordBody, response: answers({ 200: Done }) } },
      async (request) => {
        const sub = claimsOf(request).sub
        await changeOwnPassword(ctx.storage, sub, request.body.current, request.body.next, 'web')
        await ctx.guard.userChanged(sub)
        return { ok: true as const }
      },
    )

    app.get('/api/account/password', { config: { auth: 'token' }, schema: { tags: ['session'], summary: 'Whether the password must be changed now', response: answers({ 200: MustChangeAnswer }) } }, async (request) => ({
      ok: true as const,
      mustChange: await mustChangePassword(ctx.storage, claimsOf(request).sub),
    }))

    app.get('/api/admin/devices', { config: ADMIN, schema: { tags: TAGS, summary: 'Devices enrolled in the county', response: answers({ 200: DevicesAnswer }) } }, async (request) => {
      const a = await admin(request)
      return { ok: true as const, devices: await listDevices(ctx.storage, a.scope) }
    })

    app.get('/api/admin/catalogue', { config: ADMIN, schema: { tags: TAGS, summary: 'Service items and their versions', response: answers({ 200: ItemsAnswer }) } }, async (request) => {
      await admin(request)
      return { ok: true as const, items: await listItemVersions(ctx.storage) }
    })

    app.post(
      '/api/admin/catalogue/:code/versions',
      { config: ADMIN, bodyLimit: 256 * 1024, schema: { tags: TAGS, summary: 'Publish a new version of a service item', params: ItemCodeParams, body: ItemVersionBody, response: answers({ 201: ItemAnswer }) } },
      async (request, reply) => {
        const a = await admin(request)
        reply.code(201)
        return { ok: true as const, item: await saveItemVersion(ctx.storage, request.params.code, request.body.item, a) }
      },
    )

    app.get('/api/admin/calendar', { config: ADMIN, schema: { tags: TAGS, summary: 'Years with official arrangements, built in and loaded', response: answers({ 200: AdminCalendarAnswer }) } }, async (request) => {
      await admin(request)
      return { ok: true as const, officialYears: calendar().officialYears(), loaded: await ctx.storage.listArrangements() }
    })

    app.put(
      '/api/admin/calendar/:year',
      { config: ADMIN, schema: { tags: TAGS, summary: 'Load the official working-day arrangement of a year (audited)', params: YearParams, body: ArrangementBody, response: answers({ 200: YearAnswer }) } },
      async (request) => {
        const a = await admin(request)
        const year = request.params.year
        const body = request.body
        const problems = validateArrangement(body)
        if (String(body.year) !== year) problems.push(`year: the body is for ${body.year}, the path for ${year}`)
        if (problems.length) throw new DaibanError(ErrorCode.validation, 'the arrangement is not valid', { problems })
        const loaded = await loadArrangement(ctx.storage, body as YearArrangement, a)
        await ctx.notifier.calendarChanged(ctx.pool)
        return { ok: true as const, ...loaded }
      },
    )

    app.get('/api/admin/audit', { config: ADMIN, schema: { tags: TAGS, summary: 'The audit trail of the county, filtered, newest first', querystring: AuditQuerySchema, response: answers({ 200: AuditAnswer }) } }, async (request) => {
      const a = await admin(request)
      const q = request.query
      const limit = Math.min(200, Math.max(1, Number(q.limit ?? 50)))
      return {
        ok: true as const,
        ...(await queryAudit(ctx.storage, { scope: a.scope, limit, ...(q.user ? { user: q.user } : {}), ...(q.case ? { caseId: q.case } : {}), ...(q.action ? { action: q.action } : {}), ...(q.before ? { before: Number(q.before) } : {}) })),
      }
    })
  }
}
