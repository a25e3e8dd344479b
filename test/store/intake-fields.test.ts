import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeCase, rng } from '../../demo/fake-cases'
import { DeviceService } from '../../src/sync/device-service'
import { startTestServer, type TestServer } from '../helpers/server'

let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer('sqlite')
})
afterAll(async () => srv?.stop())

describe('intake fields (device service against a real server)', () => {
  it('stores bank accounts as digits, computes derived fields on the device, and the server accepts the case', async () => {
    const service = new DeviceService({ baseUrl: srv.url, dexie: { indexedDB: new IDBFactory(), IDBKeyRange }, isOnline: () => true, pbkdf2Iterations: 1000, syncIntervalMs: 3_600_000 })
    expect(await service.login('agent', 'demo')).toMatchObject({ ok: true })
    const item = (await service.catalogue()).find((i) => i.name === '最低生活保障')!
    const { caseId } = await service.createCase(item.code)
    const data = fakeCase(item, rng(7))
    for (const [k, v] of Object.entries(data.values)) if (k !== 'per_capita_income') await service.setField(caseId, k, v)
    for (const [k, m] of Object.entries(data.materials)) await service.setMaterial(caseId, k, m)
    await service.setField(caseId, 'household_size', '4')
    await service.setField(caseId, 'monthly_household_income', '1000')
    await service.setField(caseId, 'bank_account_number', '6222 0212-3456 7890 123')
    await service.setField(caseId, 'per_capita_income', '999') // typed into a derived field: ignored
    await service.flush()
    const form = (await service.getCase(caseId))!.form
    expect(form).toMatchObject({ per_capita_income: '250.00', bank_account_number: '6222021234567890123' })

    expect(await service.takeIn(caseId)).toMatchObject({ ok: true })
    await service.syncNow()
    const stored = await srv.storage.findCaseByNumber((await service.getCase(caseId))!.row.number)
    expect(stored?.status).toBe('submitted')
    await service.logout(true)
  })

  it('refuses a take-in on the server when a derived value was forged', async () => {
    const service = new DeviceService({ baseUrl: srv.url, dexie: { indexedDB: new IDBFactory(), IDBKeyRange }, isOnline: () => true, pbkdf2Iterations: 1000, syncIntervalMs: 3_600_000 })
    await service.login('agent', 'demo')
    const item = (await service.catalogue()).find((i) => i.name === '最低生活保障')!
    const { caseId } = await service.createCase(item.code)
    const data = fakeCase(item, rng(8))
    for (const [k, v] of Object.entries(data.values)) await service.setField(caseId, k, v)
    for (const [k, m] of Object.entries(data.materials)) await service.setMaterial(caseId, k, m)
    // Bypass the device's rules: write a wrong per-capita income straight into the document, then submit.
    const store = (service as unknown as { store: { setFields(id: string, v: Record<string, string>): Promise<void>; queueCommand(id: string, c: { type: 'submit' }): Promise<string> } }).store
    await store.setFields(caseId, { per_capita_income: '1.00' })
    await store.queueCommand(caseId, { type: 'submit' })
    await service.syncNow()
    const view = (await service.getCase(caseId))!
    expect(view.workflow.state?.status ?? 'draft').toBe('draft')
    expect(view.row.problem ?? '').toContain('per_capita_income derived_mismatch')
    await service.logout(true)
  })
})
