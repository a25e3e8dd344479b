import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, tempDir, type TestServer } from '../helpers/server'

describe('static', () => {
  const dist = tempDir('daiban-dist-')
  let srv: TestServer
  beforeAll(async () => {
    mkdirSync(join(dist.dir, 'assets'))
    writeFileSync(join(dist.dir, 'index.html'), '<!doctype html><title>代办</title>')
    writeFileSync(join(dist.dir, 'sw.js'), 'self.x=1')
    writeFileSync(join(dist.dir, 'manifest.webmanifest'), '{}')
    writeFileSync(join(dist.dir, 'assets', 'index-abc123.js'), 'console.log(1)')
    srv = await startTestServer('sqlite', { staticDir: dist.dir })
  })
  afterAll(async () => {
    await srv?.stop()
    dist.remove()
  })

  it('serves index.html, the service worker and the manifest with no-cache', async () => {
    for (const path of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
      const res = await srv.api(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-cache')
    }
    expect(await (await srv.api('/')).text()).toContain('代办')
  })

  it('serves hashed assets as immutable', async () => {
    const res = await srv.api('/assets/index-abc123.js')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-type')).toMatch(/javascript/)
  })

  it('answers client-side routes with index.html and missing files with 404', async () => {
    const route = await srv.api('/cases/123')
    expect(route.status).toBe(200)
    expect(await route.text()).toContain('代办')
    expect((await srv.api('/assets/missing.js')).status).toBe(404)
  })

  it('never serves files outside the build folder', async () => {
    const res = await fetch(`${srv.url}/..%2f..%2fetc%2fpasswd`)
    expect([400, 404]).toContain(res.status)
    const text = await res.text()
    expect(text).not.toContain('root:')
  })
})
