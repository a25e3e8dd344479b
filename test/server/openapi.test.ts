// The OpenAPI document is generated from the routes' own schemas: every route registered on the
// server is in it, and every operation in it exists on the server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server'

interface OpenApi {
  openapi: string
  paths: Record<string, Record<string, { security?: unknown[]; parameters?: { name: string; in: string }[] }>>
}

const HIDDEN = (url: string) => url === '/*' || url === '/api/openapi.json' || url.startsWith('/api/docs')
const toOpenApi = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

describe('openapi', () => {
  let srv: TestServer
  let doc: OpenApi
  let admin: string
  beforeAll(async () => {
    srv = await startTestServer('sqlite')
    admin = await srv.login('admin')
    const res = await srv.api('/api/openapi.json')
    expect(res.status).toBe(200)
    doc = (await res.json()) as OpenApi
  })
  afterAll(async () => srv?.stop())

  it('is an OpenAPI 3.1 document with the bearer scheme on the routes that need a sign-in', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.paths['/api/me']?.get?.security).toEqual([{ bearer: [] }])
    expect(doc.paths['/api/login']?.post?.security).toBeUndefined()
    expect(doc.paths['/api/devices/{id}/revoke']?.post?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id'])
  })

  it('lists every registered route', () => {
    const registered = srv.routes
      .filter((r) => !HIDDEN(r.url) && !(r.schema as { hide?: boolean } | undefined)?.hide)
      .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => `${m} ${toOpenApi(r.url)}`))
      .filter((r) => !r.startsWith('HEAD ') || !srv.routes.some((o) => o.method === 'GET' && `HEAD ${toOpenApi(o.url)}` === r))
    expect(registered.length).toBeGreaterThan(30)
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)))
    expect(registered.filter((r) => !documented.has(r))).toEqual([])
  })

  it('documents only operations that exist: each answers with something else than "no such endpoint"', async () => {
    const missing: string[] = []
    let n = 0
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace(/\{[^}]+\}/g, 'x')
        const res = await srv.api(url, { method: method.toUpperCase(), token: admin, ...(['post', 'put', 'patch'].includes(method) ? { json: {} } : {}) })
        n++
        const text = method === 'head' ? '' : await res.text()
        if (res.status === 405 || (res.status === 404 && /no API endpoint|not found:/.test(text))) missing.push(`${method.toUpperCase()} ${path} → ${res.status} ${text.slice(0, 100)}`)
      }
    }
    expect(n).toBeGreaterThan(30)
    expect(missing).toEqual([])
  })

  it('serves the viewer at /api/docs from this server, without a CDN', async () => {
    const res = await srv.api('/api/docs/')
    expect(res.status).toBe(200)
    const html = await res.text()
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(srcs.length).toBeGreaterThan(2)
    expect(srcs.filter((s) => /^(https?:)?\/\//.test(s))).toEqual([])
    expect((await srv.api('/api/docs/static/swagger-ui-bundle.js')).status).toBe(200)
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-eval')
  })
})
