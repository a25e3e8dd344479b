// Issue 9.3: no two clerks on one case unknowingly. Claims are server-ordered leases: two clerks
// at once, one wins and the other is told why; a takeover is explicit; a clerk who lost the case
// can never write; the holder is in the case's workflow state and on its stored case row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimHolder, readWorkflow, type CaseId, type DivisionCode } from '../../src/core'
import { hashPassword } from '../../sync-server/auth/password'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { sendRawCommand } from '../helpers/raw-sync'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const cmd = (type: string, extra = '') => `{"type":"${type}","at":"${new Date().toISOString()}"${extra}}`

for (const storage of storages) {
  describe(`claims (${storage})`, () => {
    let srv: TestServer
    let tokenA: string
    let tokenB: string
    let agentToken: string
    beforeAll(async () => {
      srv = await startTestServer(storage)
      await srv.storage.createUser({ username: 'township-b', passwordHash: await hashPassword('demo'), role: 'township', scope: '340826106' as DivisionCode, displayName: '华亭镇便民服务中心 李窗口', department: null })
      tokenA = await srv.login('township')
      tokenB = await srv.login('township-b')
      agentToken = await srv.login('agent')
    })
    afterAll(async () => srv?.stop())

    async function submittedCase(seed: number): Promise<CaseId> {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), seed)
      await agent.engine.sync()
      return caseId
    }

    it('lets one of two clerks claiming at once win by server order and tells the other who holds it', async () => {
      const caseId = await submittedCase(41)
      const [a, b] = await Promise.all([sendRawCommand(srv.url, tokenA, caseId, cmd('claim')), sendRawCommand(srv.url, tokenB, caseId, cmd('claim'))])
      const answers = [a, b]
      expect(answers.filter((x) => x.ok)).toHaveLength(1)
      const lost = answers.find((x) => !x.ok)!
      expect(lost).toMatchObject({ ok: false, code: 'claimed_by_other' })
      const winner = a.ok ? '张窗口' : '李窗口'
      expect(!lost.ok && lost.message).toContain(winner)
      const row = await srv.storage.getCase(caseId)
      expect(claimHolder(row!.state, Date.now())?.name).toContain(winner)
    })

    it('lets one of two clerks deciding the same case at once win; the other gets a refusal with its reason', async () => {
      const caseId = await submittedCase(42)
      const [a, b] = await Promise.all([sendRawCommand(srv.url, tokenA, caseId, cmd('accept')), sendRawCommand(srv.url, tokenB, caseId, cmd('accept'))])
      expect([a, b].filter((x) => x.ok)).toHaveLength(1)
      expect([a, b].find((x) => !x.ok)).toMatchObject({ ok: false, code: 'claimed_by_other' })
      const row = await srv.storage.getCase(caseId)
      expect(row?.status).toBe('accepted')
      expect(claimHolder(row!.state, Date.now())?.userId).toBe(a.ok ? (await srv.storage.findUserByUsername('township'))!.id : (await srv.storage.findUserByUsername('township-b'))!.id)
    })

    it('refuses an offline decision from the clerk who did not hold the case when it reaches the server, and the device says why', async () => {
      const caseId = await submittedCase(43)
      const devA = await newDevice(srv.url, 'township')
      const devB = await newDevice(srv.url, 'township-b')
      await Promise.all([devA.engine.sync(), devB.engine.sync()])
      await devA.store.queueCommand(caseId, { type: 'accept' })
      await devB.store.queueCommand(caseId, { type: 'refuse', reason: '不属于本事项受理范围', appeal: '可申请行政复议' })
      await devA.engine.sync()
      await devB.engine.sync()
      expect((await devA.db.cases.get(caseId))?.status).toBe('accepted')
      const atB = await devB.db.cases.get(caseId)
      expect(atB?.status).toBe('accepted')
      expect(atB?.problem).toMatch(/^claimed_by_other: .*张窗口/)
      // The holder is in the workflow state every device receives.
      expect(readWorkflow(await devB.store.doc(caseId)).state?.claim).toMatchObject({ name: '华亭镇便民服务中心 张窗口', role: 'township' })
    })

    it('lets another clerk take a case over only explicitly; the stale holder can no longer write', async () => {
      const caseId = await submittedCase(44)
      expect(await sendRawCommand(srv.url, tokenA, caseId, cmd('claim'))).toMatchObject({ ok: true })
      expect(await sendRawCommand(srv.url, tokenB, caseId, cmd('claim'))).toMatchObject({ ok: false, code: 'claimed_by_other' })
      expect(await sendRawCommand(srv.url, tokenB, caseId, cmd('claim', ',"takeOver":true'))).toMatchObject({ ok: true })
      // The stale holder: every decision and a renewal are refused.
      expect(await sendRawCommand(srv.url, tokenA, caseId, cmd('accept'))).toMatchObject({ ok: false, code: 'claimed_by_other' })
      expect(await sendRawCommand(srv.url, tokenA, caseId, cmd('claim'))).toMatchObject({ ok: false, code: 'claimed_by_other' })
      expect(await sendRawCommand(srv.url, tokenA, caseId, cmd('release'))).toMatchObject({ ok: false, code: 'not_claim_holder' })
      expect((await srv.storage.getCase(caseId))?.status).toBe('submitted')
      expect(await sendRawCommand(srv.url, tokenB, caseId, cmd('accept'))).toMatchObject({ ok: true, status: 'accepted' })
      const holder = claimHolder((await srv.storage.getCase(caseId))!.state, Date.now())
      expect(holder).toMatchObject({ name: '华亭镇便民服务中心 李窗口' })
      // Release makes it free again; the history shows the takeover, not every renewal.
      expect(await sendRawCommand(srv.url, tokenB, caseId, cmd('release'))).toMatchObject({ ok: true })
      expect(claimHolder((await srv.storage.getCase(caseId))!.state, Date.now())).toBeNull()
      const township = await newDevice(srv.url, 'township')
      await township.engine.sync()
      const types = readWorkflow(await township.store.doc(caseId)).events.map((e) => `${e.type}${e.detail?.takeOver ? '!' : ''}`)
      expect(types).toEqual(['submit', 'claim', 'claim!', 'accept', 'release'])
      // The agent is not fenced by a clerk's claim (a withdrawal at the resident's request).
      expect(await sendRawCommand(srv.url, tokenB, caseId, cmd('claim'))).toMatchObject({ ok: true })
      expect(await sendRawCommand(srv.url, agentToken, caseId, cmd('withdraw', ',"reason":"申请人本人要求撤回"'))).toMatchObject({ ok: true, status: 'withdrawn' })
    })
  })
}
