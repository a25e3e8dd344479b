// Paper endpoints: the public verification page /v/<payload> (no login) and, for signed-in
// devices, GET /api/papers/<payload> (scan to open). Logic lives in sync-server/paper/.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { actorOf } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { answers, claimsOf, Ok } from '../http/api-types'
import { cspForInlineStyles } from '../http/security-headers'
import { openPaper } from '../paper/open-service'
import { pageLanguage, renderVerifyPage } from '../paper/verify-page'
import { verifyPaper, type PaperVerification } from '../paper/verify'
import { PaperPageQuery, PaperPayloadParam } from './paper-schemas'

export const PAPER_PAGE_PREFIX = '/v/'

const Html = Type.String({ description: 'text/html' })
const OpenedAnswer = Ok({
  verdict: Type.String({ description: 'genuine, genuine_unsynced, device_revoked or not_genuine' }),
  caseId: Type.Union([Type.String(), Type.Null()]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
})

export function paperRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Anyone may scan a paper: a malformed payload is answered "not genuine" on the page itself.
    app.get(
      `${PAPER_PAGE_PREFIX}:payload`,
      {
        schema: {
          tags: ['paper'],
          summary: 'Verification page of a printed receipt or notice (no sign-in; Chinese first, ?lang=en)',
          params: Type.Object({ payload: Type.String({ maxLength: 512 }) }),
          querystring: PaperPageQuery,
          response: { 200: Html },
        },
      },
      async (request, reply) => {
        const payload = request.params.payload
        const v: PaperVerification = Value.Check(PaperPayloadParam, payload) ? await verifyPaper(ctx, payload) : { verdict: 'not_genuine', reason: 'malformed', clockSuspect: false }
        const lang = pageLanguage(request.query.lang ?? null, request.headers['accept-language'])
        const html = renderVerifyPage(v, lang, `${PAPER_PAGE_PREFIX}${encodeURIComponent(payload)}`)
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('vary', 'accept-language').header('content-security-policy', cspForInlineStyles(html)).send(html)
      },
    )

    app.get(
      '/api/papers/:payload',
      {
        config: { auth: 'active' },
        schema: { tags: ['paper'], summary: 'Open the case of a scanned paper (genuine papers of cases in the caller’s scope)', params: Type.Object({ payload: PaperPayloadParam }), response: answers({ 200: OpenedAnswer }) },
      },
      async (request) => ({ ok: true as const, ...(await openPaper(ctx, actorOf(claimsOf(request)), { payload: request.params.payload })) }),
    )
  }
}
