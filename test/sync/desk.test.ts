import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkingDays, dayInChina, type CaseId } from '../../src/core'
import { emptyQueueQuery } from '../../src/store/queue'
import { Desk } from '../../src/sync/desk'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'
import type { SimDevice } from '../../scripts/lib/sim-device'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

const deskOf = (d: SimDevice) => new Desk(d.db, d.store, { role: d.identity.role, userId: d.identity.userId })

for (const storage of storages) {
  describe(`desk (${storage})`, () => {
    let srv: TestServer
    let agent: SimDevice
    let township: SimDevice
    const cases = {} as Record<'birth' | 'medical' | 'elderly' | 'legal', CaseId>
    beforeAll(async () => {
      srv = await startTestServer(storage)
      agent = await newDevice(srv.url, 'agent')
      township = await newDevice(srv.url, 'township')
      cases.birth = await takeInCase(agent, itemNamed(agent, '生育登记'), 1)
      cases.medical = await takeInCase(agent, itemNamed(agent, '城乡居民医保参保登记'), 2)
      cases.elderly = await takeInCase(agent, itemNamed(agent, '高龄津贴'), 3)
      cases.legal = await takeInCase(agent, itemNamed(agent, '法律援助申请'), 4)
      await agent.engine.sync()
      await township.engine.sync()
    })
    afterAll(async () => srv?.stop())

    it('answers the township queue from the device: work states, filters, search and the batch per village', async () => {
      const desk = deskOf(township)
      const all = await desk.queue(emptyQueueQuery, 0, 50)
      expect(all.total).toBe(4)
      expect(all.rows.every((r) => r.status === 'submitted' && r.left.clock === 'acceptance' && r.left.tone === 'ok')).toBe(true)
      expect((await desk.queue({ ...emptyQueueQuery, item: all.rows.find((r) => r.id === cases.elderly)!.item }, 0, 50)).rows.map((r) => r.id)).toEqual([cases.elderly])
      expect((await desk.queue({ ...emptyQueueQuery, department: 'health' }, 0, 50)).rows.map((r) => r.id)).toEqual([cases.birth])
      const number = (await township.db.cases.get(cases.medical))!.number
      expect((await desk.queue({ ...emptyQueueQuery, search: number.slice(-8) }, 0, 50)).rows.map((r) => r.id)).toEqual([cases.medical])
      expect((await desk.queue({ ...emptyQueueQuery, state: 'accepted' }, 0, 50)).total).toBe(0)
      expect((await desk.queue({ ...emptyQueueQuery, due: 'overdue' }, 0, 50)).total).toBe(0)
      const batches = await desk.batches()
      expect(batches).toHaveLength(1)
      expect(batches[0]).toMatchObject({ village: '340826106001', device: agent.identity.deviceId, cases: 4, waiting: 4 })
      // The agent's device sees the same batch as received.
      await agent.engine.sync()
      expect((await deskOf(agent).batches())[0]).toMatchObject({ cases: 4 })
    })

    it('queues decisions offline and brings back a refused one with its reason', async () => {
      const second = await newDevice(srv.url, 'township')
      await second.engine.sync()
      // The first clerk decides offline (nothing sent yet); the second accepts first, online.
      await township.store.queueCommand(cases.legal, { type: 'refuse', reason: '不属于法律援助范围', appeal: '可向县司法局申请复核' })
      await second.store.queueCommand(cases.legal, { type: 'accept' })
      await second.engine.sync()
      expect(await deskOf(township).refusals()).toEqual([])
      await township.engine.sync()
      const refused = await deskOf(township).refusals()
      expect(refused).toHaveLength(1)
      expect(refused[0]).toMatchObject({ caseId: cases.legal, type: 'refuse', code: 'invalid_state' })
      expect((await township.db.cases.get(cases.legal))?.status).toBe('accepted')
      expect((await township.db.cases.get(cases.legal))?.problem).toMatch(/^invalid_state: /)
      await deskOf(township).dismissRefusal(refused[0]!.id)
      expect(await deskOf(township).refusals()).toEqual([])
      expect((await township.db.cases.get(cases.legal))?.problem).toBeNull()
    })

    it('turns every decision that came back into a task for the agent, with its details', async () => {
      await township.store.queueCommand(cases.birth, { type: 'accept' })
      await township.store.queueCommand(cases.birth, { type: 'complete', decision: 'approved', reason: '准予登记' })
      await township.store.queueCommand(cases.medical, { type: 'return', corrections: [{ path: 'form.address', label: '家庭住址', reason: '请写明门牌号' }] })
      await township.store.queueCommand(cases.elderly, { type: 'refuse', reason: '年龄未满80周岁', appeal: '可申请行政复议' })
      await township.engine.sync()
      await agent.engine.sync()
      const tasks = await deskOf(agent).tasks()
      const byCase = Object.fromEntries(tasks.map((t) => [t.caseId, t]))
      expect(byCase[cases.birth]).toMatchObject({ kind: 'deliver', decision: { decision: 'approved', reason: '准予登记' } })
      expect(byCase[cases.medical]).toMatchObject({ kind: 'correct', corrections: [{ path: 'form.address', label: '家庭住址', reason: '请写明门牌号' }] })
      expect(byCase[cases.elderly]).toMatchObject({ kind: 'refused', refusal: { reason: '年龄未满80周岁', appeal: '可申请行政复议' } })
      expect(byCase[cases.legal]).toBeUndefined() // accepted: nothing for the village to do yet
      await deskOf(agent).dismissTask(cases.elderly)
      expect((await deskOf(agent).tasks()).map((t) => t.caseId)).not.toContain(cases.elderly)
    })

    it('records trips and a bad rating at delivery, which the township sees as a follow-up until answered', async () => {
      await agent.store.queueCommand(cases.birth, { type: 'deliver', method: 'agent', trips: 1 })
      await agent.store.queueCommand(cases.birth, { type: 'rate', rating: 1, comment: '态度不好' })
      await agent.engine.sync()
      await township.engine.sync()
      const today = new Date().toISOString().slice(0, 10)
      const m = await deskOf(township).metrics('2020-01-01', today, 'village', (k) => k)
      expect(m.total.ratings).toEqual({ veryGood: 0, good: 0, fair: 0, bad: 0, veryBad: 1 })
      expect(m.total.averageTrips).toBe(1)
      expect(m.total.zeroTripShare).toBe(0)
      expect(m.followUps.map((f) => [f.caseId, f.rating, f.comment])).toEqual([[cases.birth, 1, '态度不好']])
      // The server set the due day when the rating arrived: 5 working days by default.
      expect(m.followUps[0]!.due).toBe(addWorkingDays(dayInChina(Date.parse(m.followUps[0]!.ratedAt!)), 5).date)
      await township.store.queueCommand(cases.birth, { type: 'answerFollowUp', answer: '已回访，窗口加派人员' })
      await township.engine.sync()
      expect((await deskOf(township).metrics('2020-01-01', today, 'village', (k) => k)).followUps).toEqual([])
      expect((await township.db.cases.get(cases.birth))?.queue?.followUp).toBe('已回访，窗口加派人员')
    })

    it('keeps open cases and those decided within 30 days on a staff device', async () => {
      const desk = deskOf(township)
      expect(await desk.prune()).toBe(0)
      const later = Date.now() + 40 * 86_400_000
      const before = await township.db.cases.count()
      const dropped = await desk.prune(later)
      // Decided long ago: the refused and the delivered case; open: accepted, returned.
      expect(dropped).toBe(2)
      expect(await township.db.cases.count()).toBe(before - 2)
      expect(await township.db.cases.get(cases.birth)).toBeUndefined()
      expect(await township.db.updates.where('caseId').equals(cases.birth).count()).toBe(0)
      expect((await township.db.cases.get(cases.legal))?.status).toBe('accepted')
      expect((await township.db.cases.get(cases.medical))?.status).toBe('returned')
    })
  })
}
