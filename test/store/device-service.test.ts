import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasOfficialData, resetArrangements, type CaseId } from '../../src/core'
import { DeviceService } from '../../src/sync/device-service'
import { fakeCase, rng } from '../../demo/fake-cases'
import { startTestServer, type TestServer } from '../helpers/server'

let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer('sqlite')
})
afterAll(async () => srv?.stop())

/** A device (its own IndexedDB) whose network can be switched off. */
function device() {
  const net = { online: true }
  const guardedFetch: typeof fetch = (input, init) => (net.online ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch')))
  const service = new DeviceService({ baseUrl: srv.url, fetch: guardedFetch, dexie: { indexedDB: new IDBFactory(), IDBKeyRange }, isOnline: () => net.online, pbkdf2Iterations: 1000, syncIntervalMs: 3_600_000 })
  return { service, net }
}

async function fillCase(service: DeviceService, caseId: CaseId, itemName: string, seed: number) {
  const item = (await service.catalogue()).find((i) => i.name === itemName)!
  const data = fakeCase(item, rng(seed))
  for (const [k, v] of Object.entries(data.values)) await service.setField(caseId, k, v)
  for (const [k, m] of Object.entries(data.materials)) await service.setMaterial(caseId, k, m)
  return item
}

describe('device-service', () => {
  it('signs in online first, then offline with the same password, and refuses a wrong one', async () => {
    const { service, net } = device()
    net.online = false
    expect(await service.login('agent', 'demo')).toMatchObject({ ok: false, code: 'first_login_needs_network' })
    net.online = true
    const first = await service.login('agent', 'demo')
    expect(first).toMatchObject({ ok: true, session: { role: 'agent', scope: '340826106001', offline: false } })
    expect(first.ok && first.session.deviceNumber).toBeGreaterThan(0)
    await service.logout()
    net.online = false
    expect(await service.login('agent', 'wrong')).toMatchObject({ ok: false, code: 'wrong_credentials' })
    expect(await service.login('Agent ', 'demo')).toMatchObject({ ok: true, session: { offline: true } })
    expect(await service.unlock('demo')).toBe(true)
    expect(await service.unlock('nope')).toBe(false)
    expect(await service.knownUsers()).toEqual([{ username: 'agent', displayName: '王代办' }])
  })

  it('takes in a case offline, shows every problem at once, and syncs it when the network returns', async () => {
    const { service, net } = device()
    await service.login('agent', 'demo')
    net.online = false
    const item = (await service.catalogue()).find((i) => i.name === '最低生活保障')!
    const { caseId, number } = await service.createCase(item.code)
    expect(number).toMatch(/^340826106001-\d{6}-\d{3}-0001-[\dX]$/)
    const empty = await service.takeIn(caseId)
    expect(empty.ok).toBe(false)
    expect(empty.problems.filter((p) => p.code === 'required').length).toBe(item.fields.filter((f) => f.required).length)
    expect(empty.problems.filter((p) => p.code === 'material_missing').length).toBe(item.materials.filter((m) => m.required).length)
    await fillCase(service, caseId, '最低生活保障', 3)
    expect(await service.takeIn(caseId)).toEqual({ ok: true, problems: [] })
    expect((await service.status()).unsynced).toBeGreaterThan(0)
    expect((await service.listCases({ filter: 'unsynced', search: '', sort: 'updated' }, 0, 10)).rows.map((r) => r.id)).toEqual([caseId])
    // Logging out would strand the case on this tablet.
    expect(await service.logout()).toMatchObject({ ok: false })
    net.online = true
    const status = await service.syncNow()
    expect(status.unsynced).toBe(0)
    expect((await srv.storage.getCase(caseId))?.status).toBe('submitted')
    expect((await service.getCase(caseId))?.row?.status).toBe('submitted')
    expect(await service.logout()).toEqual({ ok: true })
  })

  it('finds residents by name, ID number or phone and starts a case from one without retyping', async () => {
    const { service } = device()
    await service.login('agent', 'demo')
    const saved = await service.saveResident({ name: '王秀英', idNumber: '34082619480705002x', phone: '13812345678', address: '破凉社区新屋组3号' })
    expect(saved.ok).toBe(true)
    const bad = await service.saveResident({ name: '', idNumber: '340826194807050021', phone: '123', address: '' })
    expect(bad).toEqual({ ok: false, problems: [{ field: 'name', code: 'required' }, { field: 'idNumber', code: 'id_number' }, { field: 'phone', code: 'mobile' }] })
    const dup = await service.saveResident({ name: '王秀英', idNumber: '34082619480705002X', phone: '', address: '' })
    expect(dup).toMatchObject({ ok: false, problems: [{ field: 'idNumber', code: 'duplicate' }] })
    const id = saved.ok ? saved.resident.id : ''
    for (const q of ['王秀', '3408261948', '138123']) expect((await service.searchResidents(q)).map((r) => r.id)).toEqual([id])
    expect((await service.searchResidents('王秀'))[0]).toMatchObject({ idMasked: '340826********002X', phoneMasked: '138****5678' })

    const item = (await service.catalogue()).find((i) => i.name === '高龄津贴')!
    const { caseId } = await service.createCase(item.code, id)
    const view = await service.getCase(caseId)
    expect(view?.form).toMatchObject({ applicant_name: '王秀英', applicant_id: '34082619480705002X', applicant_phone: '13812345678', address: '破凉社区新屋组3号' })
    expect((await service.residentCases(id)).map((c) => c.id)).toEqual([caseId])
    await service.logout(true)
  })

  it('exports unsynced work to a file that another device imports once, without duplicates', async () => {
    const a = device()
    await a.service.login('agent', 'demo')
    a.net.online = false
    const item = (await a.service.catalogue()).find((i) => i.name === '临时救助')!
    const { caseId } = await a.service.createCase(item.code)
    await fillCase(a.service, caseId, '临时救助', 9)
    await a.service.addPhoto(caseId, item.materials[0]!.id, new Blob([new Uint8Array([1, 2, 3, 4, 5])], { type: 'image/jpeg' }))
    expect((await a.service.takeIn(caseId)).ok).toBe(true)
    const file = await a.service.exportUnsynced('passphrase-8')
    expect(file).toMatchObject({ cases: 1, commands: 1, photos: 1 })
    const form = (await a.service.getCase(caseId))!.form
    for (const k of ['applicant_name', 'applicant_id']) expect(file.json).not.toContain(String(form[k])) // the file is encrypted
    await expect(a.service.exportUnsynced('short')).rejects.toThrow(/at least 8/)

    const b = device()
    await b.service.login('agent', 'demo')
    await expect(b.service.importFile(file.json, 'wrong passphrase')).rejects.toThrow(/passphrase does not open/)
    expect(await b.service.importFile(file.json, 'passphrase-8')).toEqual({ cases: 1, commands: 1, photos: 1 })
    expect(await b.service.importFile(file.json, 'passphrase-8')).toEqual({ cases: 0, commands: 0, photos: 0 })
    expect((await b.service.getCase(caseId))?.form).toEqual((await a.service.getCase(caseId))?.form)
    await b.service.syncNow()
    // The original tablet comes back online later and sends the same work: still one case, one submission.
    a.net.online = true
    await a.service.syncNow()
    expect((await srv.storage.getCase(caseId))?.status).toBe('submitted')
    expect((await srv.storage.auditOf(caseId)).filter((x) => x.action === 'command:submit').length).toBe(1)
    expect((await srv.storage.blobsOfCase(caseId)).every((x) => x.present)).toBe(true)
    await a.service.logout(true)
    await b.service.logout(true)
  })

  it('refuses an import file from another account', async () => {
    const a = device()
    await a.service.login('agent', 'demo')
    const file = await a.service.exportUnsynced('passphrase-8')
    const b = device()
    await b.service.login('agent2', 'demo')
    await expect(b.service.importFile(file.json, 'passphrase-8')).rejects.toThrow(/another account/)
    await expect(b.service.importFile('{"hello":1}')).rejects.toThrow(/not a Daiban export/)
  })

  it('counts its deadlines on the official years the deployment loaded, offline too', async () => {
    resetArrangements()
    try {
      const admin = await srv.login('admin')
      const put = await srv.api('/api/admin/calendar/2031', { method: 'PUT', token: admin, json: { year: 2031, holidays: ['2031-01-01'], workdays: [] } })
      expect(put.status).toBe(200)
      resetArrangements() // as on a device that never heard of it
      expect(hasOfficialData(2031)).toBe(false)
      const { service, net } = device()
      await service.login('township', 'demo')
      expect(service.arrangements().map((a) => a.year)).toEqual([2031])
      expect(hasOfficialData(2031)).toBe(true)
      await service.logout(true)
      resetArrangements()
      net.online = false
      expect(await service.login('township', 'demo')).toMatchObject({ ok: true, session: { offline: true } })
      expect(hasOfficialData(2031)).toBe(true)
    } finally {
      resetArrangements()
    }
  })
})
