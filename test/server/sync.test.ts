import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readForm, readWorkflow, type CaseId } from '../../src/core'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`sync (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    })
    afterAll(async () => srv?.stop())

    it('carries a case from the village to the township and the decision back', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const township = await newDevice(srv.url, 'township')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 7)
      expect(await agent.engine.pendingCount()).toBeGreaterThan(0)

      const pushed = await agent.engine.sync()
      expect(pushed).toMatchObject({ pushedCases: 1, rejected: 0, commandsAnswered: 1 })
      expect(await agent.engine.pendingCount()).toBe(0)
      expect((await agent.db.cases.get(caseId))?.status).toBe('submitted')

      await township.engine.sync()
      const atTownship = await township.db.cases.get(caseId)
      expect(atTownship).toMatchObject({ status: 'submitted', itemName: '临时救助' })
      expect(readForm(await township.store.doc(caseId))).toEqual(readForm(await agent.store.doc(caseId)))

      await township.store.queueCommand(caseId, { type: 'accept' })
      const r = await township.engine.sync()
      expect(r.commandsAnswered).toBe(1)
      expect((await township.db.cases.get(caseId))?.status).toBe('accepted')

      await agent.engine.sync()
      const back = await agent.store.doc(caseId)
      expect(readWorkflow(back).state?.status).toBe('accepted')
      expect(readWorkflow(back).events.map((e) => e.type)).toEqual(['submit', 'accept'])
      expect((await agent.db.cases.get(caseId))?.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    })

    it('keeps a village case away from another village, township and the county until forwarded', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const agent2 = await newDevice(srv.url, 'agent2')
      const township2 = await newDevice(srv.url, 'township2')
      const county = await newDevice(srv.url, 'county')
      const caseId = await takeInCase(agent, itemNamed(agent, '最低生活保障'), 11)
      await agent.engine.sync()
      for (const other of [agent2, township2, county]) {
        await other.engine.sync()
        expect(await other.db.cases.get(caseId)).toBeUndefined()
        expect(await other.db.updates.where('caseId').equals(caseId).count()).toBe(0)
      }
      const township = await newDevice(srv.url, 'township')
      await township.engine.sync()
      await township.store.queueCommand(caseId, { type: 'accept' })
      await township.store.queueCommand(caseId, { type: 'forward' })
      await township.engine.sync()
      await county.engine.sync()
      expect((await county.db.cases.get(caseId))?.status).toBe('forwarded')
      expect(readForm(await county.store.doc(caseId)).applicant_name).toBe(readForm(await agent.store.doc(caseId)).applicant_name)
    })

    it('keeps drafts at the village', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const township = await newDevice(srv.url, 'township')
      const caseId = await takeInCase(agent, itemNamed(agent, '高龄津贴'), 3, false)
      await agent.engine.sync()
      expect(await srv.storage.getCase(caseId)).toMatchObject({ status: 'draft' })
      await township.engine.sync()
      expect(await township.db.cases.get(caseId)).toBeUndefined()
    })

    it('rejects a township clerk editing the form and reports why, leaving the stored case unchanged', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const township = await newDevice(srv.url, 'township')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 21)
      await agent.engine.sync()
      await township.engine.sync()
      const before = await srv.storage.caseLog(caseId)
      await township.store.setField(caseId, 'applicant_name', '篡改')
      const r = await township.engine.sync()
      expect(r.rejected).toBe(1)
      expect((await township.db.cases.get(caseId))?.problem).toMatch(/^forbidden_root/)
      expect(readForm(await township.store.doc(caseId)).applicant_name).not.toBe('篡改')
      expect((await srv.storage.caseLog(caseId)).length).toBe(before.length)
    })

    it('answers a refused command with its reason and keeps the state', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 22)
      await agent.store.queueCommand(caseId, { type: 'accept' } as never)
      await agent.engine.sync()
      const outbox = await agent.db.outbox.where('caseId').equals(caseId).sortBy('n')
      expect(outbox.map((o) => [o.command.type, o.answer?.ok, o.answer?.code])).toEqual([
        ['submit', true, undefined],
        ['accept', false, 'forbidden_role'],
      ])
      expect((await agent.db.cases.get(caseId))?.status).toBe('submitted')
    })

    it('splits a backlog into bounded requests and pulls in pages', async () => {
      const agent = await newDevice(srv.url, 'agent', { sync: { maxCasesPerRequest: 7, pullLimit: 5 } })
      const item = itemNamed(agent, '生育登记')
      const ids: CaseId[] = []
      for (let i = 0; i < 30; i++) ids.push(await takeInCase(agent, item, 100 + i))
      const r = await agent.engine.sync()
      expect(r.pushedCases).toBe(30)
      expect(r.requests).toBeGreaterThanOrEqual(5)
      const township = await newDevice(srv.url, 'township', { sync: { pullLimit: 5 } })
      const t = await township.engine.sync()
      expect(t.requests).toBeGreaterThan(6)
      for (const id of ids) expect((await township.db.cases.get(id))?.status).toBe('submitted')
    })

    it('makes a no-op resync one small request', async () => {
      const agent = await newDevice(srv.url, 'agent')
      await agent.engine.sync()
      const r = await agent.engine.sync()
      expect(r).toMatchObject({ requests: 1, pushedCases: 0, pulled: 0 })
    })
  })
}

describe('sync submission check', () => {
  it('refuses to forward an incomplete case to the township, whatever the device did', async () => {
    const srv = await startTestServer('sqlite')
    try {
      const agent = await newDevice(srv.url, 'agent')
      const item = itemNamed(agent, '临时救助')
      const { caseId } = await agent.store.createCase(item)
      await agent.store.setField(caseId, 'applicant_name', '张三')
      await agent.store.queueCommand(caseId, { type: 'submit' }) // skipping the device's own check
      await agent.engine.sync()
      const [answer] = await agent.db.outbox.where('caseId').equals(caseId).toArray()
      expect(answer?.answer).toMatchObject({ ok: false, code: 'incomplete_case' })
      expect(answer?.answer?.message).toContain('form.applicant_id required')
      expect((await srv.storage.getCase(caseId))?.status).toBe('draft')
      expect((await agent.db.cases.get(caseId))?.problem).toMatch(/^incomplete_case/)
    } finally {
      await srv.stop()
    }
  })
})

describe('sync document cache', () => {
  it('judges every case of a push on its own content even when the cache is far smaller than the push', async () => {
    const srv = await startTestServer('sqlite', { docCacheSize: 2 })
    try {
      const agent = await newDevice(srv.url, 'agent')
      const ids = []
      for (let i = 0; i < 6; i++) ids.push(await takeInCase(agent, itemNamed(agent, '临时救助'), 700 + i))
      const r = await agent.engine.sync()
      expect(r).toMatchObject({ pushedCases: 6, rejected: 0, commandsAnswered: 6 })
      const answers = await agent.db.outbox.toArray()
      expect(answers.map((a) => a.answer?.ok)).toEqual(Array(6).fill(true))
      for (const id of ids) expect((await srv.storage.getCase(id))?.status).toBe('submitted')
    } finally {
      await srv.stop()
    }
  })
})
