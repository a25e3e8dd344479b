// Reference data every device needs offline: the organisation tree, the service catalogue and
// the official working-day arrangements (an administrator loads next year's each autumn).

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DaibanError, ErrorCode, validateArrangement, validateCatalogue, type ServiceItem, type YearArrangement } from '../../src/core'
import { loadArrangement } from '../admin/calendar-load'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import { ArrangementBody, CalendarAnswer, CatalogueAnswer, CatalogueBody, CatalogueLoaded, OrgAnswer, YearLoaded, YearParams } from './reference-schemas'

const TAGS = ['reference']

export function referenceRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/org', { config: { auth: 'active' }, schema: { tags: TAGS, summary: 'The organisation tree', response: answers({ 200: OrgAnswer }) } }, async () => ({
      ok: true as const,
      units: await ctx.storage.listOrgUnits(),
    }))

    app.get('/api/catalogue', { config: { auth: 'active' }, schema: { tags: TAGS, summary: 'Every version of every service item', response: answers({ 200: CatalogueAnswer }) } }, async () => ({
      ok: true as const,
      items: await ctx.storage.listItems(),
    }))

    app.put(
      '/api/catalogue',
      {
        config: { auth: 'active', roles: ['admin'] },
        bodyLimit: 4 * 1024 * 1024,
        schema: { tags: TAGS, summary: 'Load service item versions (a published code@version is immutable: 409 version_exists)', body: CatalogueBody, response: answers({ 200: CatalogueLoaded }) },
      },
      async (request) => {
        const claims = claimsOf(request)
        const body = request.body
        const problems = validateCatalogue(body)
        if (problems.length) throw new DaibanError(ErrorCode.validation, 'the catalogue is not valid', { problems })
        const items = body.items as ServiceItem[]
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
        return { ok: true as const, items: items.length }
      },
    )

    app.get('/api/calendar', { config: { auth: 'active' }, schema: { tags: TAGS, summary: 'The official working-day arrangements loaded', response: answers({ 200: CalendarAnswer }) } }, async () => ({
      ok: true as const,
      arrangements: await ctx.storage.listArrangements(),
    }))

    app.put(
      '/api/calendar/:year',
      {
        config: { auth: 'active', roles: ['admin'] },
        schema: { tags: TAGS, summary: 'Load the official working-day arrangement of a year', params: YearParams, body: ArrangementBody, response: answers({ 200: YearLoaded }) },
      },
      async (request) => {
        const claims = claimsOf(request)
        const body = request.body
        const problems = validateArrangement(body)
        if (problems.length) throw new DaibanError(ErrorCode.validation, 'the arrangement is not valid', { problems })
        const arrangement = body as YearArrangement
        if (String(arrangement.year) !== request.params.year) throw new DaibanError(ErrorCode.validation, `the body is for ${arrangement.year}, the path for ${request.params.year}`)
        const loaded = await loadArrangement(ctx.storage, arrangement, { userId: claims.sub, deviceId: 'api' })
        await ctx.notifier.calendarChanged(ctx.pool)
        ctx.log.info({ year: arrangement.year, by: claims.sub, recounted: loaded.recounted }, 'working-day arrangement loaded')
        return { ok: true as const, ...loaded }
      },
    )
  }
}
