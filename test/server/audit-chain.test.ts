import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dbOf } from '../../sync-server/admin/setup'
import { cliEnv, runAdminCli } from '../helpers/admin-cli'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`audit-chain (${storage})`, () => {
    let srv: TestServer
    let ids: number[]
    beforeAll(async () => {
      srv = await startTestServer(storage)
      const agent = await newDevice(srv.url, 'agent')
      for (let i = 0; i < 6; i++) await takeInCase(agent, itemNamed(agent, '高龄津贴'), 500 + i)
      await agent.engine.sync()
      ids = (await dbOf(srv.storage).selectFrom('audit').select('id').orderBy('id').execute()).map((r) => Number(r.id))
    }, 60_000)
    afterAll(() => srv.stop())

    it('chains every audit row the sync writes, and verify-audit finds the chain intact', async () => {
      expect(ids.length).toBeGreaterThanOrEqual(12) // a create and a submit per case
      const rows = await dbOf(srv.storage).selectFrom('audit').select('hash').execute()
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash ?? ''))).toBe(true)
      const r = await runAdminCli(['verify-audit'], cliEnv(srv))
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`audit trail intact: ${ids.length} rows chained`)
      // The head to keep elsewhere: deleting the newest rows leaves a valid but shorter chain.
      const last = await dbOf(srv.storage).selectFrom('audit').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(r.stdout).toContain(`head: row ${last.id} sha256 ${last.hash}`)
    }, 60_000)

    it('names a changed row', async () => {
      const victim = ids[3]!
      const before = await dbOf(srv.storage).selectFrom('audit').select('user_id').where('id', '=', victim).executeTakeFirstOrThrow()
      await dbOf(srv.storage).updateTable('audit').set({ user_id: 'someone-else' }).where('id', '=', victim).execute()
      const r = await runAdminCli(['verify-audit'], cliEnv(srv))
      expect(r.code).toBe(3)
      expect(r.stdout).toContain(`audit row ${victim}: does not follow`)
      expect(r.stdout).toContain('BROKEN: 1 of')
      await dbOf(srv.storage).updateTable('audit').set({ user_id: before.user_id }).where('id', '=', victim).execute()
      expect((await runAdminCli(['verify-audit'], cliEnv(srv))).code).toBe(0)
    }, 60_000)

    it('names the row after a deleted one, and new rows keep chaining after it', async () => {
      await dbOf(srv.storage).deleteFrom('audit').where('id', '=', ids[5]!).execute()
      const agent = await newDevice(srv.url, 'agent')
      await takeInCase(agent, itemNamed(agent, '高龄津贴'), 900)
      await agent.engine.sync()
      const r = await runAdminCli(['verify-audit'], cliEnv(srv))
      expect(r.code).toBe(3)
      expect(r.stdout.trim().split('\n')).toEqual([`audit row ${ids[6]}: does not follow the row before it: it was changed, or a row before it was deleted`, `audit trail BROKEN: 1 of ${ids.length + 1} rows`])
    }, 60_000)
  })
}
