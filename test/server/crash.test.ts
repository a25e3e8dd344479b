import { createServer } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { rng } from '../../demo/fake-cases'
import { readForm, readWorkflow } from '../../src/core'
import { openPostgres } from '../../sync-server/storage/postgres'
import { openSqlite } from '../../sync-server/storage/sqlite'
import type { Storage } from '../../sync-server/storage'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { createTempDatabase, hasPostgres } from '../helpers/pg'
import { tempDir } from '../helpers/server'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

const storages = hasPostgres() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)
const CASES = 1000

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

for (const storage of storages) {
  describe(`crash (${storage})`, () => {
    const tmp = tempDir('daiban-crash-')
    let drop: (() => Promise<void>) | undefined
    afterAll(async () => {
      await drop?.()
      tmp.remove()
    })

    it(`loses no acknowledged case and duplicates nothing when the server is SIGKILLed during a ${CASES}-case push`, async () => {
      const db = storage === 'postgres' ? await createTempDatabase() : null
      drop = db?.drop
      const env = { PORT: String(await freePort()), ...(db ? { DATABASE_URL: db.url } : {}) }
      let server: ServerProcess = await startServerProcess(env, tmp.dir)
      const device = await newDevice(server.url, 'agent', { sync: { maxCasesPerRequest: 40 } })
      const item = itemNamed(device, '临时救助')
      const ids = []
      for (let i = 0; i < CASES; i++) ids.push(await takeInCase(device, item, 5000 + i))

      // Acknowledged = the device has marked every update of the case as sent.
      const acknowledged = new Set<string>()
      const noteAcks = async () => (await device.db.cases.where('unsynced').equals(0).primaryKeys()).forEach((id) => acknowledged.add(id))

      let syncing = true
      let kills = 0
      const r = rng(storage === 'sqlite' ? 1 : 2)
      const killer = (async () => {
        while (syncing && kills < 8) {
          await sleep(150 + Math.floor(r() * 500))
          if (!syncing) break
          await server.stop('SIGKILL')
          kills++
          await noteAcks()
          server = await startServerProcess(env, tmp.dir)
        }
      })()

      let attempts = 0
      while ((await device.engine.pendingCount()) > 0 || attempts === 0) {
        attempts++
        try {
          await device.engine.sync()
        } catch {
          await sleep(50)
        }
        await noteAcks()
        if (attempts > 500) throw new Error('the device never finished')
      }
      syncing = false
      await killer
      await noteAcks()
      await server.stop('SIGTERM')

      expect(kills).toBeGreaterThanOrEqual(2)
      expect(attempts).toBeGreaterThan(kills) // the device really was interrupted and resumed
      expect(acknowledged.size).toBe(CASES)

      const stored: Storage = db ? (await openPostgres(db.url)).storage : openSqlite(tmp.dir)
      try {
        for (const id of ids) {
          const c = await stored.getCase(id)
          expect(c, `acknowledged case ${id} is stored`).toBeDefined()
          expect(c!.status).toBe('submitted')
          const log = await stored.caseLog(id)
          expect(log.filter((e) => e.origin === 'client').length).toBe(1) // the intake, once
          const doc = new Y.Doc()
          for (const e of log) Y.applyUpdate(doc, e.data)
          expect(readWorkflow(doc).events.map((e) => e.type)).toEqual(['submit']) // the command, once
          expect(readForm(doc)).toEqual(readForm(await device.store.doc(id)))
        }
        expect(await device.db.outbox.filter((o) => o.answer?.ok !== true).count()).toBe(0)
      } finally {
        await stored.close()
      }
    }, 300_000)
  })
}
