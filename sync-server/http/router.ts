// A small method + path router. Paths are literal segments or ':name' parameters; a path that
// exists under another method answers 405, an unknown one 404.

import type { IncomingMessage, ServerResponse } from 'node:http'

export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
}

export type Handler = (ctx: RequestContext) => Promise<void> | void

interface Route {
  method: string
  path: string
  parts: string[]
  handler: Handler
}

export type Match = { handler: Handler; params: Record<string, string>; route: string } | { allowed: string[] } | null

export class Router {
  private routes: Route[] = []

  on(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, path, parts: path.split('/').filter(Boolean), handler })
    return this
  }

  match(method: string, pathname: string): Match {
    const parts = pathname.split('/').filter(Boolean)
    const allowed: string[] = []
    for (const r of this.routes) {
      const params = matchParts(r.parts, parts)
      if (!params) continue
      if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { handler: r.handler, params, route: r.path }
      allowed.push(r.method)
    }
    return allowed.length ? { allowed } : null
  }
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!
    let v: string
    try {
      v = decodeURIComponent(parts[i]!)
    } catch {
      return null
    }
    if (p.startsWith(':')) params[p.slice(1)] = v
    else if (p !== v) return null
  }
  return params
}
