import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYNC_CONTENT_TYPE } from '../../src/core'
import { MAX_SYNC_INFLATED } from '../../sync-server/routes/sync'
import { createTempDatabase, hasPostgres } from '../helpers/pg'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

const storages = hasPostgres() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)
const MB = 1024 * 1024

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!
  return Number(/(\d+)/.exec(line)![1]) * 1024
}

for (const storage of storages) {
  describe(`request bodies under memory bounds (${storage})`, () => {
    let srv: ServerProcess
    let drop: (() => Promise<void>) | undefined
    let token: string
    beforeAll(async () => {
      const db = storage === 'postgres' ? await createTempDatabase() : null
      drop = db?.drop
      srv = await startServerProcess(db ? { DATABASE_URL: db.url } : {})
      const res = await fetch(`${srv.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: 'demo' }) })
      token = ((await res.json()) as { token: string }).token
    }, 60_000)
    afterAll(async () => {
      await srv?.stop()
      await drop?.()
    })

    const post = (body: Uint8Array) =>
      fetch(`${srv.url}/api/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': SYNC_CONTENT_TYPE, 'content-encoding': 'gzip' },
        body: body as BodyInit,
      }).then(async (r) => ({ status: r.status, code: ((await r.json().catch(() => ({}))) as { error?: { code: string } }).error?.code, retryAfter: r.headers.get('retry-after') }))

    it('keeps peak memory under 300 MB through 20 concurrent gzip bombs and ten 30 KB bodies inflating to 30 MiB', async () => {
      const bomb = new Uint8Array(gzipSync(Buffer.alloc(200 * MB), { level: 9 }))
      const thirty = new Uint8Array(gzipSync(Buffer.alloc(30 * MB), { level: 9 }))
      expect(bomb.byteLength).toBeLessThan(250 * 1024)
      expect(thirty.byteLength).toBeLessThan(40 * 1024)
      const answers = await Promise.all([...Array.from({ length: 20 }, () => post(bomb)), ...Array.from({ length: 10 }, () => post(thirty))])
      // Every one refused: too large once its inflated size passes the limit, or busy (with Retry-After) while the budget is full.
      for (const a of answers) {
        expect([413, 503]).toContain(a.status)
        if (a.status === 503) expect(Number(a.retryAfter)).toBeGreaterThan(0)
        else expect(a.code).toBe('too_large')
      }
      const peak = peakRss(srv.child.pid!)
      console.log(`peak RSS of the server after the bomb test (${storage}): ${(peak / MB).toFixed(0)} MB`)
      expect(peak).toBeLessThan(300 * MB)
      // Still serving.
      expect((await fetch(`${srv.url}/api/health`)).status).toBe(200)
    }, 120_000)

    it('accepts a body just under the inflated limit', async () => {
      // Not a valid frame, but it passes the size bounds and reaches the decoder (400, not 413).
      const answer = await post(new Uint8Array(gzipSync(Buffer.alloc(MAX_SYNC_INFLATED - 10))))
      expect(answer.status).toBe(400)
    })
  })
}
