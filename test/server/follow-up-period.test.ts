// The follow-up period of a bad rating is a server setting (FOLLOW_UP_WORKING_DAYS): the server
// fixes the due day on the core calendar when the rating arrives, and the township's device shows
// it on the metrics page until the follow-up is answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkingDays, dayInChina, readWorkflow, type CaseId } from '../../src/core'
import { configFromEnv } from '../../sync-server/config'
import { Desk } from '../../src/sync/desk'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'
import type { SimDevice } from '../../scripts/lib/sim-device'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const deskOf = (d: SimDevice) => new Desk(d.db, d.store, { role: d.identity.role, userId: d.identity.userId })

describe('follow-up period setting', () => {
  it('reads FOLLOW_UP_WORKING_DAYS, 5 by default, and refuses values outside 1–60', () => {
    expect(configFromEnv({}).followUpWorkingDays).toBe(5)
    expect(configFromEnv({ FOLLOW_UP_WORKING_DAYS: '10' }).followUpWorkingDays).toBe(10)
    for (const bad of ['0', '61', '2.5', 'x']) expect(() => configFromEnv({ FOLLOW_UP_WORKING_DAYS: bad })).toThrow(/FOLLOW_UP_WORKING_DAYS/)
  })
})

for (const storage of storages) {
  describe(`follow-up period (${storage})`, () => {
    let srv: TestServer
    let agent: SimDevice
    let township: SimDevice
    let caseId: CaseId
    beforeAll(async () => {
      srv = await startTestServer(storage, { followUpWorkingDays: 10 })
      agent = await newDevice(srv.url, 'agent')
      township = await newDevice(srv.url, 'township')
      caseId = await takeInCase(agent, itemNamed(agent, '生育登记'), 1)
      await agent.engine.sync()
      await township.engine.sync()
      await township.store.queueCommand(caseId, { type: 'accept' })
      await township.store.queueCommand(caseId, { type: 'complete', decision: 'approved', reason: '准予登记' })
      await township.engine.sync()
      await agent.engine.sync()
      await agent.store.queueCommand(caseId, { type: 'deliver', method: 'window', trips: 2 })
      await agent.store.queueCommand(caseId, { type: 'rate', rating: 2, comment: '窗口排队太久' })
      await agent.engine.sync()
      await township.engine.sync()
    })
    afterAll(async () => srv?.stop())

    it('fixes the due day of a bad rating the configured number of working days after it, on the core calendar', async () => {
      const { state } = readWorkflow(await township.store.doc(caseId))
      const rated = state!.rating!.on!
      expect(rated).toBe(dayInChina(Date.now()))
      expect(state!.followUp).toMatchObject({ opened: rated, due: addWorkingDays(rated, 10).date, estimated: addWorkingDays(rated, 10).estimated, closedOn: null })
      const today = dayInChina(Date.now())
      const m = await deskOf(township).metrics('2020-01-01', today, 'village', (k) => k)
      expect(m.followUps.map((f) => [f.caseId, f.due])).toEqual([[caseId, addWorkingDays(rated, 10).date]])
    })

    it('keeps the follow-up on the metrics page until the township answers it', async () => {
      const today = dayInChina(Date.now())
      await township.store.queueCommand(caseId, { type: 'answerFollowUp', answer: '已核实，增设取号机并电话告知群众' })
      // Queued, not yet on the server: still listed, marked as answered on this device.
      expect((await deskOf(township).metrics('2020-01-01', today, 'village', (k) => k)).followUps).toMatchObject([{ caseId, answerPending: true }])
      await township.engine.sync()
      expect((await deskOf(township).metrics('2020-01-01', today, 'village', (k) => k)).followUps).toEqual([])
      expect(readWorkflow(await township.store.doc(caseId)).state!.followUp).toMatchObject({ closedBy: 'answer', answer: '已核实，增设取号机并电话告知群众' })
    })
  })
}
