import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, tempDir, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`source maps (${storage})`, () => {
    const site = tempDir('daiban-site-')
    let plain: TestServer
    let debug: TestServer
    beforeAll(async () => {
      mkdirSync(join(site.dir, 'assets'))
      writeFileSync(join(site.dir, 'index.html'), '<!doctype html><title>x</title>')
      writeFileSync(join(site.dir, 'assets', 'app-1234.js'), 'console.log(1)')
      writeFileSync(join(site.dir, 'assets', 'app-1234.js.map'), '{"version":3,"sources":["secret.ts"]}')
      plain = await startTestServer(storage, { staticDir: site.dir })
      debug = await startTestServer(storage, { staticDir: site.dir, serveSourceMaps: true })
    })
    afterAll(async () => {
      await plain?.stop()
      await debug?.stop()
      site.remove()
    })

    it('does not serve source maps unless configured', async () => {
      const js = await plain.api('/assets/app-1234.js')
      expect(js.status).toBe(200)
      expect(await js.text()).toContain('console')
      const map = await plain.api('/assets/app-1234.js.map')
      expect(map.status).toBe(404)
      expect(await map.text()).not.toContain('secret.ts')
    })

    it('serves them when SERVE_SOURCE_MAPS is set', async () => {
      const map = await debug.api('/assets/app-1234.js.map')
      expect(map.status).toBe(200)
      expect(await map.text()).toContain('secret.ts')
    })
  })
}
