// Reference data every device needs offline: the organisation tree, the service catalogue and
// the official working-day arrangements (an administrator loads next year's each autumn).

import { DaibanError, ErrorCode, validateArrangement, validateCatalogue, type ServiceItem, type YearArrangement } from '../../src/core'
import { loadArrangement } from '../admin/calendar-load'
import { authenticateActive, requireRole } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { JSON_LIMIT } from '../context'
import { readJson } from '../http/body'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'

export function referenceRoutes(router: Router, ctx: ServerContext): void {
  router.on('GET', '/api/org', async ({ req, res }) => {
    await authenticateActive(ctx, req)
    sendJson(res, 200, { ok: true, units: await ctx.storage.listOrgUnits() })
  })

  router.on('GET', '/api/catalogue', async ({ req, res }) => {
    await authenticateActive(ctx, req)
    sendJson(res, 200, { ok: true, items: await ctx.storage.listItems() })
  })

  router.on('PUT', '/api/catalogue', async ({ req, res }) => {
    const claims = await authenticateActive(ctx, req)
    requireRole(claims, 'admin')
    const body = await readJson(req, 4 * 1024 * 1024)
    const problems = validateCatalogue(body)
    if (problems.length) throw new DaibanError(ErrorCode.validation, 'the catalogue is not valid', { problems })
    const items = (body as { items: ServiceItem[] }).items
    // A published version is immutable: cases refer to it by code@version. Loading the same
    // version again unchanged is harmless; changing it needs a new version number.
    for (const item of items) {
      const stored = await ctx.storage.getItem(item.code, item.version)
      if (stored && JSON.stringify(stored) !== JSON.stringify(item))
        throw new DaibanError(ErrorCode.versionExists, `${item.code}@${item.version} is already published; load the change as version ${item.version + 1}`, {
          field: 'items',
          code: item.code,
          version: item.version,
        })
    }
    await ctx.storage.putItems(items)
    ctx.log.info({ items: items.length, by: claims.sub }, 'catalogue loaded')
    sendJson(res, 200, { ok: true, items: items.length })
  })

  router.on('GET', '/api/calendar', async ({ req, res }) => {
    await authenticateActive(ctx, req)
    sendJson(res, 200, { ok: true, arrangements: await ctx.storage.listArrangements() })
  })

  router.on('PUT', '/api/calendar/:year', async ({ req, res, params }) => {
    const claims = await authenticateActive(ctx, req)
    requireRole(claims, 'admin')
    const body = await readJson(req, JSON_LIMIT)
    const problems = validateArrangement(body)
    if (problems.length) throw new DaibanError(ErrorCode.validation, 'the arrangement is not valid', { problems })
    const arrangement = body as YearArrangement
    if (String(arrangement.year) !== params.year) throw new DaibanError(ErrorCode.validation, `the body is for ${arrangement.year}, the path for ${params.year}`)
    const loaded = await loadArrangement(ctx.storage, arrangement, { userId: claims.sub, deviceId: 'api' })
    await ctx.notifier.calendarChanged(ctx.pool)
    ctx.log.info({ year: arrangement.year, by: claims.sub, recounted: loaded.recounted }, 'working-day arrangement loaded')
    sendJson(res, 200, { ok: true, ...loaded })
  })
}
