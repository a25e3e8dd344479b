// Administration endpoints for the `admin` role, each limited to the administrator's county.
// Schemas (TypeBox) sit beside the handlers: bounded strings, bounded lists, no extra properties.

import type { IncomingMessage } from 'node:http'
import { DaibanError, ErrorCode, type Department, type Role } from '../../src/core'
import { changeOwnPassword, createAccount, listAccounts, mustChangePassword, resetPassword, setAccountDisabled } from '../admin/accounts'
import { queryAudit } from '../admin/audit-admin'
import { listItemVersions, saveItemVersion } from '../admin/catalogue-admin'
import { listDevices } from '../admin/devices-admin'
import { importDivisions, orgOfScope } from '../admin/org-admin'
import { authenticate, requireRole } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { JSON_LIMIT } from '../context'
import { readJson } from '../http/body'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'
import { calendar, validateArrangement, type YearArrangement } from '../../src/core'
import { loadArrangement } from '../admin/calendar-load'
import { AccountId, ArrangementBody, AuditQuerySchema, check, ImportBody, ItemCodeParam, ItemVersionBody, NewAccountBody, PasswordBody, YearParam } from './admin-schemas'

const DEVICE_HEADER = /^[A-Za-z0-9-]{1,64}$/

export function adminRoutes(router: Router, ctx: ServerContext): void {
  /** The signed-in administrator, checked against the database (a disabled account is refused). */
  async function admin(req: IncomingMessage) {
    const claims = authenticate(ctx.secret, req)
    requireRole(claims, 'admin')
    const user = await ctx.storage.getUser(claims.sub)
    if (!user || user.disabled) throw new DaibanError(ErrorCode.unauthenticated, 'this account is disabled or no longer exists')
    const device = String(req.headers['x-daiban-device'] ?? '')
    return { userId: user.id, scope: user.scope as string, deviceId: DEVICE_HEADER.test(device) ? device : 'web' }
  }

  router.on('GET', '/api/admin/org', async ({ req, res }) => {
    const a = await admin(req)
    sendJson(res, 200, { ok: true, county: a.scope, units: await orgOfScope(ctx.storage, a.scope) })
  })

  router.on('POST', '/api/admin/org/import', async ({ req, res }) => {
    const a = await admin(req)
    const body = check(ImportBody, await readJson(req, 512 * 1024), 'body')
    sendJson(res, 200, { ok: true, ...(await importDivisions(ctx.storage, body.csv, a, body.dryRun ?? false)) })
  })

  router.on('GET', '/api/admin/accounts', async ({ req, res }) => {
    const a = await admin(req)
    sendJson(res, 200, { ok: true, accounts: await listAccounts(ctx.storage, a.scope) })
  })

  router.on('POST', '/api/admin/accounts', async ({ req, res }) => {
    const a = await admin(req)
    const body = check(NewAccountBody, await readJson(req, JSON_LIMIT), 'body')
    if (!body.scope.startsWith(a.scope)) throw new DaibanError(ErrorCode.outOfScope, `scope: ${body.scope} is outside your county ${a.scope}`)
    const user = await createAccount(ctx.storage, { ...body, username: body.username.trim().toLowerCase(), role: body.role as Role, department: (body.department ?? null) as Department | null }, a)
    sendJson(res, 201, { ok: true, account: (await listAccounts(ctx.storage, user.scope)).find((x) => x.id === user.id) })
  })

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const)
    router.on('POST', `/api/admin/accounts/:id/${path}`, async ({ req, res, params }) => {
      const a = await admin(req)
      const id = check(AccountId, params.id, 'id')
      sendJson(res, 200, { ok: true, account: await setAccountDisabled(ctx.storage, id, disabled, a) })
    })

  router.on('POST', '/api/admin/accounts/:id/reset-password', async ({ req, res, params }) => {
    const a = await admin(req)
    const id = check(AccountId, params.id, 'id')
    const reset = await resetPassword(ctx.storage, id, a)
    await ctx.guard.userChanged(id) // the account's tokens stop working (but for the change) at once
    sendJson(res, 200, { ok: true, ...reset })
  })

  router.on('POST', '/api/account/password', async ({ req, res }) => {
    const claims = authenticate(ctx.secret, req)
    const body = check(PasswordBody, await readJson(req, JSON_LIMIT), 'body')
    await changeOwnPassword(ctx.storage, claims.sub, body.current, body.next, 'web')
    await ctx.guard.userChanged(claims.sub)
    sendJson(res, 200, { ok: true })
  })

  router.on('GET', '/api/account/password', async ({ req, res }) => {
    const claims = authenticate(ctx.secret, req)
    sendJson(res, 200, { ok: true, mustChange: await mustChangePassword(ctx.storage, claims.sub) })
  })

  router.on('GET', '/api/admin/devices', async ({ req, res }) => {
    const a = await admin(req)
    sendJson(res, 200, { ok: true, devices: await listDevices(ctx.storage, a.scope) })
  })

  router.on('GET', '/api/admin/catalogue', async ({ req, res }) => {
    await admin(req)
    sendJson(res, 200, { ok: true, items: await listItemVersions(ctx.storage) })
  })

  router.on('POST', '/api/admin/catalogue/:code/versions', async ({ req, res, params }) => {
    const a = await admin(req)
    const code = check(ItemCodeParam, params.code, 'code')
    const body = check(ItemVersionBody, await readJson(req, 256 * 1024), 'body')
    sendJson(res, 201, { ok: true, item: await saveItemVersion(ctx.storage, code, body.item, a) })
  })

  router.on('GET', '/api/admin/calendar', async ({ req, res }) => {
    await admin(req)
    const loaded = await ctx.storage.listArrangements()
    sendJson(res, 200, { ok: true, officialYears: calendar().officialYears(), loaded })
  })

  router.on('PUT', '/api/admin/calendar/:year', async ({ req, res, params }) => {
    const a = await admin(req)
    const year = check(YearParam, params.year, 'year')
    const body = check(ArrangementBody, await readJson(req, JSON_LIMIT), 'body')
    const problems = validateArrangement(body)
    if (String(body.year) !== year) problems.push(`year: the body is for ${body.year}, the path for ${year}`)
    if (problems.length) throw new DaibanError(ErrorCode.validation, 'the arrangement is not valid', { problems })
    const loaded = await loadArrangement(ctx.storage, body as YearArrangement, a)
    await ctx.notifier.calendarChanged(ctx.pool)
    sendJson(res, 200, { ok: true, ...loaded })
  })

  router.on('GET', '/api/admin/audit', async ({ req, res, url }) => {
    const a = await admin(req)
    const q = check(AuditQuerySchema, Object.fromEntries(url.searchParams), 'query')
    const limit = Math.min(200, Math.max(1, Number(q.limit ?? 50)))
    sendJson(res, 200, {
      ok: true,
      ...(await queryAudit(ctx.storage, { scope: a.scope, limit, ...(q.user ? { user: q.user } : {}), ...(q.case ? { caseId: q.case } : {}), ...(q.action ? { action: q.action } : {}), ...(q.before ? { before: Number(q.before) } : {}) })),
    })
  })
}
