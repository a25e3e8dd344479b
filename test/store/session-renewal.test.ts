import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeviceService } from '../../src/sync/device-service'
import { startTestServer, type TestServer } from '../helpers/server'

let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer('sqlite', { tokenTtlSeconds: 4 })
})
afterAll(async () => srv?.stop())

describe('session renewal', () => {
  it('asks for the password again when the server refuses an expired token, and renews it with the password entered', async () => {
    const service = new DeviceService({ baseUrl: srv.url, dexie: { indexedDB: new IDBFactory(), IDBKeyRange }, isOnline: () => true, pbkdf2Iterations: 1000, syncIntervalMs: 3_600_000 })
    const password = 'demo'
    expect(await service.login('agent', password)).toMatchObject({ ok: true })
    // The password is not kept by the service after sign-in.
    for (const v of Object.values(service)) expect(v).not.toBe(password)
    await new Promise((r) => setTimeout(r, 4500))
    const expired = await service.syncNow()
    expect(expired.sessionExpired).toBe(true)
    expect(await service.unlock('wrong')).toBe(false)
    expect((await service.status()).sessionExpired).toBe(true)
    expect(await service.unlock(password)).toBe(true)
    expect((await service.status()).sessionExpired).toBe(false)
    const after = await service.syncNow()
    expect(after.lastError).toBeNull()
    expect(after.sessionExpired).toBe(false)
    await service.logout(true)
  }, 30_000)
})
