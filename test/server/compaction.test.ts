import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { contentOf, serverDoc } from '../helpers/convergence'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`compaction (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    })
    afterAll(async () => srv?.stop())

    it('merges a long log into one snapshot, keeping the content and the audit trail', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 61, false)
      for (let i = 0; i < 12; i++) {
        await agent.store.setField(caseId, 'reason', `第${i}次修改的申请理由`)
        await agent.engine.sync() // one log entry per sync
      }
      await agent.store.queueCommand(caseId, { type: 'submit' })
      await agent.engine.sync()
      const before = await srv.storage.caseLog(caseId)
      const content = contentOf(await serverDoc(srv.storage, caseId))
      const auditBefore = await srv.storage.auditOf(caseId)
      expect(before.length).toBeGreaterThanOrEqual(14)

      expect(await srv.sync.compactLongLogs(10)).toBe(1)
      const after = await srv.storage.caseLog(caseId)
      expect(after.map((e) => e.origin)).toEqual(['snapshot'])
      expect(after[0]!.seq).toBeGreaterThan(before.at(-1)!.seq) // sequence numbers never go back
      expect(contentOf(await serverDoc(srv.storage, caseId))).toEqual(content)
      const auditAfter = await srv.storage.auditOf(caseId)
      expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore)
      expect(auditAfter.at(-1)).toMatchObject({ action: 'compact' })

      // Devices keep working across it: a fresh township device and the agent both converge.
      const township = await newDevice(srv.url, 'township')
      await township.engine.sync()
      expect(contentOf(await township.store.doc(caseId))).toEqual(content)
      await township.store.queueCommand(caseId, { type: 'accept' })
      await township.engine.sync()
      await agent.engine.sync()
      expect((await agent.db.cases.get(caseId))?.status).toBe('accepted')
    })
  })
}
