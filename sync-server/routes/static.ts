// The built PWA (STATIC_DIR) for every GET that is no API route: files with their precompressed
// variants and strong ETags, index.html for client-side routes (http/static-files.ts).

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DaibanError, ErrorCode } from '../../src/core'
import type { ServerContext } from '../context'
import { staticFiles } from '../http/static-files'

export function staticRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  const serve = ctx.config.staticDir ? staticFiles(ctx.config.staticDir, { serveSourceMaps: ctx.config.serveSourceMaps === true }) : null
  return async (app) => {
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      let pathname: string
      try {
        pathname = decodeURIComponent(request.url.split('?')[0]!)
      } catch {
        throw new DaibanError(ErrorCode.badRequest, 'malformed URL')
      }
      if (pathname.includes('\0') || pathname.split(/[\\/]/).some((seg) => seg === '..')) throw new DaibanError(ErrorCode.badRequest, 'malformed path')
      if (pathname.startsWith('/api/')) throw new DaibanError(ErrorCode.notFound, `no API endpoint ${pathname.slice(0, 200)}`)
      if (serve && (await serve(request, reply, pathname))) return reply
      throw new DaibanError(ErrorCode.notFound, `not found: ${pathname.slice(0, 200)}`)
    })
  }
}
