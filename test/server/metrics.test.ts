import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { dbOf } from '../../sync-server/admin/setup'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

/** The value of one series in Prometheus text, or undefined. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3])
  }
  return undefined
}

for (const storage of storages) {
  describe(`metrics (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    }, 60_000)
    afterAll(() => srv.stop())

    const scrape = async () => {
      const res = await fetch(srv.url + '/metrics')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      return res.text()
    }

    it('counts requests by route pattern and status, sync batches, accepted updates, push latency, live sockets, database size and cache look-ups', async () => {
      const agent = await newDevice(srv.url, 'agent')
      for (let i = 0; i < 3; i++) await takeInCase(agent, itemNamed(agent, '高龄津贴'), 70 + i)
      const drafts = [await takeInCase(agent, itemNamed(agent, '高龄津贴'), 80, false), await takeInCase(agent, itemNamed(agent, '高龄津贴'), 81, false)]
      await agent.engine.sync()
      // Submitting stored cases reads their documents: cache look-ups.
      for (const id of drafts) await agent.store.queueCommand(id, { type: 'submit' })
      await agent.engine.sync()
      await srv.api('/api/cases/not-a-case/blobs', { token: await srv.login('agent') })
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/api/live?token=${await srv.login('township')}`)
      await new Promise((ok, fail) => ws.once('open', ok).once('error', fail))
      try {
        const text = await scrape()
        expect(series(text, 'daiban_http_requests_total', { method: 'POST', route: '/api/login', status: '200' })).toBeGreaterThanOrEqual(3)
        expect(series(text, 'daiban_http_requests_total', { method: 'POST', route: '/api/sync', status: '200' })).toBeGreaterThanOrEqual(1)
        expect(series(text, 'daiban_http_requests_total', { route: '/api/cases/:id/blobs' })).toBeGreaterThanOrEqual(1)
        expect(text).not.toContain('not-a-case') // patterns, never raw paths
        expect(series(text, 'daiban_sync_batches_total', { kind: 'push' })).toBeGreaterThanOrEqual(1)
        expect(series(text, 'daiban_sync_updates_total', { result: 'accepted' })).toBe(5)
        expect(series(text, 'daiban_sync_commands_total', { result: 'applied' })).toBe(5)
        expect(series(text, 'daiban_sync_push_seconds_count')).toBeGreaterThanOrEqual(1)
        expect(series(text, 'daiban_live_sockets', { endpoint: 'live' })).toBe(1)
        expect(series(text, 'daiban_database_bytes')).toBeGreaterThan(10_000)
        const lookups = ['hit', 'catch_up', 'miss'].map((result) => series(text, 'daiban_doc_cache_lookups_total', { result }) ?? -1)
        expect(lookups.every((n) => n >= 0)).toBe(true)
        expect(lookups.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(2)
      } finally {
        ws.close()
      }
      await new Promise((r) => setTimeout(r, 50))
      for (let i = 0; i < 100 && series(await scrape(), 'daiban_live_sockets', { endpoint: 'live' }) !== 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(series(await scrape(), 'daiban_live_sockets', { endpoint: 'live' })).toBe(0)
    }, 60_000)

    it('answers ready when storage answers and every migration ran, and not ready naming a missing migration', async () => {
      const ok = await srv.api('/api/ready')
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ ok: true })
      const db = dbOf(srv.storage) as never as import('kysely').Kysely<{ kysely_migration: { name: string } }>
      await db.deleteFrom('kysely_migration').where('name', '=', '050_admin').execute()
      try {
        const res = await srv.api('/api/ready')
        expect(res.status).toBe(503)
        expect(await res.json()).toEqual({ ok: false, error: { code: 'not_ready', message: 'migrations not run: 050_admin' } })
      } finally {
        await db.insertInto('kysely_migration').values({ name: '050_admin', timestamp: new Date().toISOString() } as never).execute()
      }
      expect((await srv.api('/api/ready')).status).toBe(200)
    })
  })
}
