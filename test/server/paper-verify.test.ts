import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePaperPayload, encodePaperPayload, fromBase64Url, signedMessage, toBase64Url, type CaseId } from '../../src/core'
import { itemNamed, takeInCase } from '../helpers/device'
import { paperKeyPair, signingDevice, verdictOf } from '../helpers/paper'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'
import { dbOf } from '../../sync-server/admin/db'
import { clockOffsetOf } from '../../sync-server/paper/paper-store'
import { httpTransport } from '../../src/sync/transport'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`paper verification (${storage})`, () => {
    let srv: TestServer
    let agent: Awaited<ReturnType<typeof signingDevice>>
    let caseId: CaseId
    beforeAll(async () => {
      srv = await startTestServer(storage)
      agent = await signingDevice(srv.url, 'agent')
      caseId = await takeInCase(agent, itemNamed(agent, '最低生活保障'), 5)
    })
    afterAll(async () => srv?.stop())

    it('says "genuine, not yet synced" before the sync and "genuine" with the masked case after it', async () => {
      const paper = await agent.print(caseId, 'receipt')
      expect((await verdictOf(srv.url, paper.payload)).verdict).toBe('genuine_unsynced')
      await agent.engine.sync()
      const after = await verdictOf(srv.url, paper.payload)
      expect(after.verdict).toBe('genuine')
      expect(after.html).toContain(paper.content.caseNumber)
      expect(after.html).toContain('已报送乡镇，待受理')
      const fullName = paper.content.residentName
      expect(after.html).not.toContain(fullName)
      expect((await verdictOf(srv.url, paper.payload, 'en')).html).toContain('Genuine')
      const rows = await dbOf(srv.ctx.storage).selectFrom('papers').selectAll().where('case_id', '=', caseId).execute()
      expect(rows.map((r) => [Number(r.seq), r.kind, r.reprint])).toEqual([[paper.seq, 'receipt', 0]])
    })

    it('marks a second print as a reprint, in the case history and the audit trail', async () => {
      const again = await agent.print(caseId, 'receipt')
      expect(again.content.reprint).toBe(true)
      await agent.engine.sync()
      expect((await verdictOf(srv.url, again.payload)).html).toContain('补打')
      const audit = await srv.ctx.storage.auditOf(caseId)
      expect(audit.filter((a) => a.action.startsWith('paper:')).map((a) => a.action)).toEqual(['paper:print', 'paper:reprint'])
      const notes = Object.keys((await agent.store.doc(caseId)).getMap('notes').toJSON()).filter((k) => k.startsWith('paper-'))
      expect(notes).toHaveLength(2)
    })

    it('says "not genuine" for a tampered payload, an unknown key, an unknown device and a different digest', async () => {
      const paper = await agent.print(caseId, 'receipt')
      await agent.engine.sync()
      const bytes = fromBase64Url(paper.payload)!
      bytes[20] = bytes[20]! ^ 1 // one bit of the digest
      expect((await verdictOf(srv.url, toBase64Url(bytes))).verdict).toBe('not_genuine')
      expect((await verdictOf(srv.url, paper.payload.slice(0, 100))).verdict).toBe('not_genuine')
      const p = decodePaperPayload(paper.payload)!
      const stranger = await paperKeyPair()
      const forged = encodePaperPayload({ ...p, signature: await stranger.sign(signedMessage(p)) })
      const v = await verdictOf(srv.url, forged)
      expect([v.verdict, v.html.includes('签名无效')]).toEqual(['not_genuine', true])
      const unknown = { ...p, device: 999 }
      expect((await verdictOf(srv.url, encodePaperPayload({ ...unknown, signature: await agent.key.sign(signedMessage(unknown)) }))).html).toContain('签发设备未登记')
      // Signed by the real key, but not the content the device recorded for that sequence.
      const other = { ...p, digest: new Uint8Array(16) }
      expect((await verdictOf(srv.url, encodePaperPayload({ ...other, signature: await agent.key.sign(signedMessage(other)) }))).html).toContain('单据内容与服务器记录不符')
    })

    it('answers a malformed payload "not genuine" without echoing it, and refuses an oversized one', async () => {
      for (const payload of ['short', encodeURIComponent('<script>alert(1)</script>'), 'A'.repeat(129)]) {
        const v = await verdictOf(srv.url, payload)
        expect({ payload, verdict: v.verdict }).toEqual({ payload, verdict: 'not_genuine' })
        expect(v.html).not.toContain('<script>alert')
      }
      expect((await fetch(`${srv.url}/v/${'A'.repeat(600)}`)).status).toBe(400)
    })

    it('verifies a notice printed by a township device (a 9-digit issuer)', async () => {
      const township = await signingDevice(srv.url, 'township')
      await township.engine.sync()
      await township.store.queueCommand(caseId, { type: 'accept' })
      await township.engine.sync()
      const notice = await township.print(caseId, 'acceptance')
      expect(notice.content.office).toContain('便民服务中心')
      expect(decodePaperPayload(notice.payload)!.issuer).toBe('340826106')
      expect((await verdictOf(srv.url, notice.payload)).verdict).toBe('genuine_unsynced')
      await township.engine.sync()
      const v = await verdictOf(srv.url, notice.payload)
      expect([v.verdict, v.html.includes('受理通知书'), v.html.includes('已受理，办理中')]).toEqual(['genuine', true, true])
    })

    it('refuses a paper record that names another device', async () => {
      const other = await signingDevice(srv.url, 'agent')
      const id = await takeInCase(other, itemNamed(other, '生育登记'), 8)
      const doc = await other.store.doc(id)
      const record = { issuer: agent.identity.scope, device: agent.identity.deviceNumber, seq: 77, digest: 'ab'.repeat(16), issuedAt: new Date().toISOString(), kind: 'receipt', reprint: false }
      await other.store.addRecordNote(id, `paper-${record.issuer}-${record.device}-77`, '打印', { paper: record })
      expect(doc.getMap('notes').size).toBe(1)
      await other.engine.sync()
      expect(await srv.ctx.storage.getCase(id)).toBeUndefined()
    })

    it('flags a paper whose issue time is far ahead of the device clock, without rejecting it', async () => {
      const paper = await agent.print(caseId, 'receipt', new Date(Date.now() + 24 * 3600_000))
      const v = await verdictOf(srv.url, paper.payload)
      expect([v.verdict, v.clockFlag]).toEqual(['genuine_unsynced', true])
    })

    it('records the device clock offset at a sync and flags papers of a device whose clock is off', async () => {
      const other = await signingDevice(srv.url, 'agent')
      const id = await takeInCase(other, itemNamed(other, '生育登记'), 9)
      await other.engine.sync()
      const credential = (await other.db.kv.get('device.credential'))?.value as string
      const t = httpTransport({ baseUrl: srv.url, token: () => other.token, deviceCredential: () => credential })
      const ahead = 3 * 3600_000
      await t.sync({ header: { batchId: `b-clock-${Date.now()}`, deviceId: other.identity.deviceId, updates: [], commands: [], pull: null, clock: Date.now() + ahead }, updates: [] })
      const offset = await clockOffsetOf(srv.ctx.storage, other.identity.deviceId)
      expect(Math.abs(offset!.offsetMs - ahead)).toBeLessThan(60_000)
      const paper = await other.print(id, 'receipt', new Date(Date.now() + ahead))
      const v = await verdictOf(srv.url, paper.payload)
      expect([v.verdict, v.clockFlag]).toEqual(['genuine_unsynced', true]) // flagged, not rejected
      // A clock the server has measured is otherwise fine: the first device's papers carry no flag.
      const plain = await agent.print(caseId, 'receipt')
      expect((await verdictOf(srv.url, plain.payload)).clockFlag).toBe(false)
    })

    it('opens the case of a scanned paper for its own village, but not for another village\'s agent', async () => {
      const paper = await agent.print(caseId, 'receipt')
      await agent.engine.sync()
      const open = (token: string) => srv.api(`/api/papers/${paper.payload}`, { token })
      const own = await open(await srv.login('agent'))
      expect(own.status).toBe(200)
      expect(await own.json()).toMatchObject({ ok: true, verdict: 'genuine', caseId })
      const other = await open(await srv.login('agent2'))
      const body = (await other.json()) as { caseId?: string; error?: { code: string } }
      expect({ status: other.status, code: body.error?.code, caseId: body.caseId }).toEqual({ status: 404, code: 'not_found', caseId: undefined })
      expect((await srv.api(`/api/papers/${paper.payload}`, { token: 'not-a-token' })).status).toBe(401)
      expect((await srv.api(`/api/papers/${paper.payload.slice(1)}`, { token: await srv.login('agent2') })).status).toBe(400)
    })

    it('after revocation, "device reported lost" for later papers while earlier ones stay genuine', async () => {
      const before = await agent.print(caseId, 'receipt')
      await agent.engine.sync()
      const admin = await srv.login('admin')
      const res = await fetch(`${srv.url}/api/devices/${agent.identity.deviceId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })
      expect(res.status).toBe(200)
      const device = await srv.ctx.storage.getDevice(agent.identity.deviceId)
      expect(device?.highestPaperSeqAtRevocation).toBe(before.seq)
      const after = await agent.print(caseId, 'receipt') // the lost tablet prints on, offline
      expect((await verdictOf(srv.url, after.payload)).verdict).toBe('device_lost')
      expect((await verdictOf(srv.url, after.payload, 'en')).html).toContain('device reported lost')
      expect((await verdictOf(srv.url, before.payload)).verdict).toBe('genuine')
    })
  })
}
