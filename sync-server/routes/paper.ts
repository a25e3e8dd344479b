// Paper endpoints: the public verification page /v/<payload> (no login) and, for signed-in
// devices, GET /api/papers/<payload> (scan to open). Logic lives in sync-server/paper/.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { Value } from 'typebox/value'
import { actorOf, authenticateActive } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { badRequest } from '../http/errors'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'
import { openPaper } from '../paper/open-service'
import { pageLanguage, renderVerifyPage } from '../paper/verify-page'
import { verifyPaper, type PaperVerification } from '../paper/verify'
import { PaperPayloadParam } from './paper-schemas'

export const PAPER_PAGE_PREFIX = '/v/'

/** GET /v/<payload>: the verification page (app.ts hands every /v/ path here). */
export async function paperPage(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const payload = url.pathname.slice(PAPER_PAGE_PREFIX.length)
  const v: PaperVerification = Value.Check(PaperPayloadParam, payload)
    ? await verifyPaper(ctx, payload)
    : { verdict: 'not_genuine', reason: 'malformed', clockSuspect: false }
  const lang = pageLanguage(url.searchParams.get('lang'), req.headers['accept-language'])
  const html = renderVerifyPage(v, lang, `${PAPER_PAGE_PREFIX}${encodeURIComponent(payload)}`)
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    vary: 'accept-language',
  })
  res.end(req.method === 'HEAD' ? undefined : html)
}

export function paperRoutes(router: Router, ctx: ServerContext): void {
  router.on('GET', '/api/papers/:payload', async ({ req, res, params }) => {
    const actor = actorOf(await authenticateActive(ctx, req))
    const payload = params.payload ?? ''
    if (!Value.Check(PaperPayloadParam, payload)) throw badRequest('a paper payload is 128 base64url characters', { field: 'payload' })
    sendJson(res, 200, await openPaper(ctx, actor, { payload }))
  })
}
