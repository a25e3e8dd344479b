import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServiceItem } from '../../src/core'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`catalogue versions (${storage})`, () => {
    let srv: TestServer
    let admin: string
    let items: ServiceItem[]
    beforeAll(async () => {
      srv = await startTestServer(storage)
      admin = await srv.login('admin')
      items = ((await (await srv.api('/api/catalogue', { token: admin })).json()) as { items: ServiceItem[] }).items
    })
    afterAll(async () => srv?.stop())

    const put = (list: ServiceItem[]) => srv.api('/api/catalogue', { method: 'PUT', token: admin, json: { items: list } })

    it('accepts the same published versions loaded again unchanged', async () => {
      expect((await put(items)).status).toBe(200)
    })

    it('refuses to overwrite a published code@version with 409 version_exists', async () => {
      const first = items[0]!
      const changed = { ...first, name: `${first.name}（改）` }
      const res = await put([changed])
      expect(res.status).toBe(409)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('version_exists')
      expect(body.error.message).toContain(`${first.code}@${first.version}`)
      expect((await srv.storage.getItem(first.code, first.version))?.name).toBe(first.name)
    })

    it('takes the change as a new version', async () => {
      const first = items[0]!
      const next = { ...first, name: `${first.name}（新）`, version: first.version + 1 }
      expect((await put([next])).status).toBe(200)
      expect((await srv.storage.getItem(first.code, first.version + 1))?.name).toBe(next.name)
      expect((await srv.storage.getItem(first.code, first.version))?.name).toBe(first.name)
    })
  })
}
