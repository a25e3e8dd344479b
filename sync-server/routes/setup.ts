// The one-time setup page (/setup): a server-rendered form posted as
// application/x-www-form-urlencoded, answered in HTML (admin/setup-page.ts). Its own <style>
// block is allowed by hash in the page's Content-Security-Policy.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SETUP_FORM_LIMIT, SETUP_PATH, setupPageRequest } from '../admin/setup-page'
import type { ServerContext } from '../context'
import { cspForInlineStyles } from '../http/security-headers'

const Html = Type.String({ description: 'text/html' })
const TAGS = ['setup']

export function setupRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: SETUP_FORM_LIMIT }, (_request, body, done) => done(null, body))

    const answer = async (method: string, rawUrl: string, body: string, reply: import('fastify').FastifyReply) => {
      const q = rawUrl.indexOf('?')
      const page = await setupPageRequest(ctx.storage, method, new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)), body)
      return reply
        .code(page.status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', cspForInlineStyles(page.html))
        .send(page.html)
    }

    app.get(SETUP_PATH, { schema: { tags: TAGS, summary: 'The first administrator’s setup form (needs the one-time link)', querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }), response: { 200: Html, 403: Html } } }, (request, reply) =>
      answer(request.method, request.url, '', reply),
    )
    app.post(SETUP_PATH, { schema: { tags: TAGS, summary: 'Create the first administrator and the county', consumes: ['application/x-www-form-urlencoded'], response: { 200: Html, 400: Html, 403: Html } } }, (request, reply) =>
      answer('POST', request.url, typeof request.body === 'string' ? request.body : '', reply),
    )
  }
}
