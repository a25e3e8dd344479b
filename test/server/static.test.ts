import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, tempDir, type TestServer } from '../helpers/server'

const BIG = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `word${i % 50}`))}\n`

/** A raw GET (fetch would undo the content encoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
      .on('error', reject)
      .end()
  })
}

describe('static', () => {
  const dist = tempDir('daiban-dist-')
  let srv: TestServer
  beforeAll(async () => {
    mkdirSync(join(dist.dir, 'assets'))
    writeFileSync(join(dist.dir, 'index.html'), '<!doctype html><title>代办</title>')
    writeFileSync(join(dist.dir, 'sw.js'), 'self.x=1')
    writeFileSync(join(dist.dir, 'manifest.webmanifest'), '{}')
    writeFileSync(join(dist.dir, 'assets', 'index-abc123.js'), 'console.log(1)')
    // As the build's precompress plugin leaves them: .br and .gz beside the file.
    writeFileSync(join(dist.dir, 'assets', 'big-def456.js'), BIG)
    writeFileSync(join(dist.dir, 'assets', 'big-def456.js.br'), brotliCompressSync(BIG))
    writeFileSync(join(dist.dir, 'assets', 'big-def456.js.gz'), gzipSync(BIG))
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

  it('sends the precompressed brotli or gzip file the client accepts, and the plain file otherwise', async () => {
    const url = `${srv.url}/assets/big-def456.js`
    const br = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG)
    expect(br.body.length).toBeLessThan(BIG.length / 5)
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    const gz = await rawGet(url, { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    const plain = await rawGet(url, { 'accept-encoding': 'identity' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(BIG)
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(BIG))
  })

  it('gives every file a strong ETag from its content and answers a revalidation with 304', async () => {
    const first = await srv.api('/index.html')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/)
    expect((await srv.api('/sw.js')).headers.get('etag')).not.toBe(etag)
    const again = await srv.api('/index.html', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('cache-control')).toBe('no-cache')
    expect((await srv.api('/index.html', { headers: { 'if-none-match': '"other"' } })).status).toBe(200)
    // The same content under encodings has the same validator: the encodings are variants (Vary).
    const a = await rawGet(`${srv.url}/assets/big-def456.js`, { 'accept-encoding': 'br' })
    const b = await rawGet(`${srv.url}/assets/big-def456.js`, { 'accept-encoding': 'gzip' })
    expect(a.headers.etag).toBe(b.headers.etag)
    expect((await rawGet(`${srv.url}/assets/big-def456.js`, { 'accept-encoding': 'br', 'if-none-match': String(a.headers.etag) })).status).toBe(304)
  })

  it('sends the security headers on pages, assets and API answers', async () => {
    for (const path of ['/', '/assets/index-abc123.js', '/api/health', '/api/nothing-here']) {
      const res = await srv.api(path)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toMatch(/default-src '(self|none)'/)
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      const permissions = res.headers.get('permissions-policy') ?? ''
      expect(permissions, path).toContain('camera=(self)')
      expect(permissions.split(',').filter((p) => !p.includes('=()')).map((p) => p.trim()), path).toEqual(['camera=(self)'])
    }
  })

  it('does not serve the precompressed files under their own names', async () => {
    expect((await srv.api('/assets/big-def456.js.br')).status).toBe(404)
  })
})
