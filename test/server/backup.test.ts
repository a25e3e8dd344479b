import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, runAdminCli } from '../helpers/admin-cli'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { createTempDatabase, hasPostgres } from '../helpers/pg'
import { startTestServer, tempDir, type StorageChoice, type TestServer } from '../helpers/server'
import { startServer } from '../../sync-server/app'
import pino from 'pino'
import { dbOf } from '../../sync-server/admin/setup'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const CASES = 1000

for (const storage of storages) {
  describe(`backup (${storage})`, () => {
    let srv: TestServer
    const files = tempDir('daiban-backup-')
    beforeAll(async () => {
      srv = await startTestServer(storage)
    }, 60_000)
    afterAll(async () => {
      await srv.stop()
      files.remove()
    })

    it('backs up during a 1,000-case push; the restored server holds every case acknowledged before the backup began, with its photos', async () => {
      const agent = await newDevice(srv.url, 'agent', { sync: { maxCasesPerRequest: 40 } })
      const item = itemNamed(agent, '残疾人两项补贴')
      for (let i = 0; i < CASES; i++) {
        const id = await takeInCase(agent, item, 1000 + i, false)
        await agent.store.addPhoto(id, 'id_card', new Uint8Array(randomBytes(300)))
        await agent.store.queueCommand(id, { type: 'submit' })
      }
      let pushing = true
      const push = (async () => {
        try {
          for (let round = 0; round < 100; round++) {
            await agent.engine.sync()
            if ((await agent.db.cases.where('unsynced').above(0).count()) === 0) break
          }
        } finally {
          pushing = false
        }
      })()

      // Wait until part of the push is stored, then note what is acknowledged and back up.
      const blobs = async () => Number((await dbOf(srv.storage).selectFrom('blobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      for (let i = 0; i < 20_000 && (await blobs()) < 20; i++) await new Promise((r) => setTimeout(r, 5))
      const acked = new Map<string, string[]>()
      for (const id of await agent.db.cases.toCollection().primaryKeys()) {
        if (!(await srv.storage.getCase(String(id)))) continue
        acked.set(String(id), (await srv.storage.blobsOfCase(String(id))).filter((b) => b.present).map((b) => b.hash))
      }
      const file = `${files.dir}/backup-${storage}.bin`
      const during = pushing
      const r = await runAdminCli(['backup', file], cliEnv(srv))
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      await push
      expect(during).toBe(true) // the backup began while the push was running
      expect(acked.size).toBeGreaterThan(0)
      expect(acked.size).toBeLessThan(CASES)
      expect((await srv.storage.countLog()) > 0).toBe(true)

      // Restore into an empty data folder (or an empty database) and start a new server on it.
      const target = tempDir('daiban-restored-')
      const db = storage === 'postgres' ? await createTempDatabase() : null
      const env = { DATA_DIR: target.dir, ...(db ? { DATABASE_URL: db.url } : {}) }
      try {
        const restored = await runAdminCli(['restore', file], env)
        expect(restored.stderr).toBe('')
        expect(restored.code).toBe(0)
        const again = await runAdminCli(['restore', file], env)
        expect(again.code).toBe(1) // never over an existing database
        const fresh = await startServer({ ...srv.ctx.config, port: 0, dataDir: target.dir, ...(db ? { databaseUrl: db.url } : { databaseUrl: undefined }) } as never, pino({ level: 'silent' }))
        try {
          let photos = 0
          for (const [id, hashes] of acked) {
            const c = await fresh.storage.getCase(id)
            expect(c?.id).toBe(id)
            for (const h of hashes) {
              const blob = await fresh.storage.getBlob(h)
              expect(blob?.byteLength).toBe(300)
              photos++
            }
          }
          expect(photos).toBeGreaterThan(0)
          // The restored server answers sign-in with the same accounts.
          const login = await fetch(fresh.url + '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: 'demo' }) })
          expect(login.status).toBe(200)
        } finally {
          await fresh.close()
        }
      } finally {
        await db?.drop()
        target.remove()
      }
    }, 300_000)
  })
}
