import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseId } from '../../src/core'
import { DeviceService } from '../../src/sync/device-service'
import { listDevices } from '../../sync-server/admin/devices-admin'
import { userDbName } from '../../src/store/directory'
import { dumpDatabase, foundIn } from '../helpers/idb-scan'
import { startTestServer, type TestServer } from '../helpers/server'

let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer('sqlite', { deviceCredentials: 'required' })
})
afterAll(async () => srv?.stop())

const NAME = '王卫东'
const ID = '340826195603120019'
const PHONE = '13812345678'
/** Stands in for a photo (Node has no canvas: the bytes are stored as given). */
const PHOTO = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)

function device() {
  const net = { online: true }
  const indexedDB = new IDBFactory()
  const guardedFetch: typeof fetch = (input, init) => (net.online ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch')))
  const service = new DeviceService({ baseUrl: srv.url, fetch: guardedFetch, dexie: { indexedDB, IDBKeyRange }, isOnline: () => net.online, pbkdf2Iterations: 1000, syncIntervalMs: 3_600_000 })
  return { service, net, indexedDB }
}

async function registerAndTakeIn(service: DeviceService): Promise<{ residentId: string; caseId: CaseId }> {
  const saved = await service.saveResident({ name: NAME, idNumber: ID, phone: PHONE, address: '破凉镇新屋组3号' })
  if (!saved.ok) throw new Error('resident refused')
  const item = (await service.catalogue()).find((i) => i.name === '高龄津贴')!
  const { caseId } = await service.createCase(item.code, saved.resident.id)
  const material = item.materials[0]!.id
  await service.addPhoto(caseId, material, new Blob([PHOTO], { type: 'image/jpeg' }))
  await service.addNote(caseId, `${NAME} 电话 ${PHONE}`)
  await service.command(caseId, { type: 'rate', rating: 5, comment: `${NAME}很满意` })
  return { residentId: saved.resident.id, caseId }
}

describe('sealed-store', () => {
  it('stores no name, ID number, phone or photo bytes in the clear, and finds them again after unlock', async () => {
    const { service, net, indexedDB } = device()
    expect(await service.login('agent', 'demo')).toMatchObject({ ok: true })
    net.online = false // nothing leaves: the data stays only on the device
    const { residentId, caseId } = await registerAndTakeIn(service)
    await service.flush()

    const dump = await dumpDatabase(indexedDB, userDbName('agent'))
    expect(dump.length).toBeGreaterThan(PHOTO.length)
    expect(foundIn(dump, [NAME, ID, PHONE, PHOTO, ID.slice(0, 10), '王*东'])).toEqual([])
    const directory = await dumpDatabase(indexedDB, 'daiban-device')
    expect(foundIn(directory, [NAME, ID, PHONE])).toEqual([])

    // Readable again only through the worker, by name, ID number and phone.
    for (const q of ['王卫', ID, '3408261956', PHONE, '138123']) expect((await service.searchResidents(q)).map((r) => r.id)).toEqual([residentId])
    expect((await service.getCase(caseId))?.form).toMatchObject({ applicant_name: NAME, applicant_id: ID, applicant_phone: PHONE })
    expect((await service.listCases({ filter: 'all', search: '王卫东', sort: 'updated' }, 0, 10)).rows.map((r) => r.id)).toEqual([caseId])
    expect((await service.residentCases(residentId)).map((c) => c.id)).toEqual([caseId])
    const photo = (await service.getCase(caseId))!.photos[0]!
    expect(new Uint8Array(await (await service.photo(photo.hash))!.arrayBuffer())).toEqual(PHOTO)
    await service.logout(true)
  })

  it('drops the key on the idle lock: nothing reads until the right password unlocks', async () => {
    const { service } = device()
    await service.login('agent', 'demo')
    const { residentId } = await registerAndTakeIn(service)
    await service.lock()
    await expect(async () => service.searchResidents('王卫')).rejects.toThrow(/not signed in/)
    expect(await service.unlock('wrong')).toBe(false)
    expect(await service.unlock('demo')).toBe(true)
    expect((await service.searchResidents('王卫')).map((r) => r.id)).toEqual([residentId])
    await service.logout(true)
  })

  it('refuses a wrong password offline, opens after an administrator reset with an online sign-in, and then refuses the old password offline', async () => {
    const { service, net } = device()
    expect(await service.login('agent2', 'demo')).toMatchObject({ ok: true })
    const saved = await service.saveResident({ name: NAME, idNumber: ID, phone: PHONE, address: '' })
    expect(saved.ok).toBe(true)
    await service.logout(true)
    net.online = false
    expect(await service.login('agent2', 'not-demo')).toMatchObject({ ok: false, code: 'wrong_credentials' })

    const agent2 = (await srv.storage.findUserByUsername('agent2'))!
    const reset = await srv.api(`/api/admin/accounts/${agent2.id}/reset-password`, { method: 'POST', token: await srv.login('admin'), json: {} })
    const { temporaryPassword } = (await reset.json()) as { temporaryPassword: string }
    net.online = true
    // The server holds the sign-in back until the user sets a new password; then the escrow key opens the data.
    expect(await service.login('agent2', temporaryPassword)).toMatchObject({ ok: false, code: 'password_change_required' })
    const chosen = 'Xiangcun-2026-daiban'
    expect(await service.changePasswordAtSignIn(temporaryPassword, chosen)).toMatchObject({ ok: true })
    expect((await service.searchResidents(ID)).map((r) => r.name)).toEqual([NAME])
    await service.logout(true)

    net.online = false
    expect(await service.login('agent2', 'demo')).toMatchObject({ ok: false, code: 'wrong_credentials' })
    expect(await service.login('agent2', temporaryPassword)).toMatchObject({ ok: false, code: 'wrong_credentials' })
    expect(await service.login('agent2', chosen)).toMatchObject({ ok: true, session: { offline: true } })
    expect((await service.searchResidents(PHONE)).map((r) => r.name)).toEqual([NAME])
    await service.logout(true)
  })

  it('erases every account\'s data at the sync answered with device_revoked, says so, and the administrator sees the erase confirmed', async () => {
    const { service, net, indexedDB } = device()
    expect(await service.login('township', 'demo')).toMatchObject({ ok: true }) // a second account on the same tablet
    const other = await service.login('agent', 'demo')
    expect(other).toMatchObject({ ok: true })
    await registerAndTakeIn(service)
    await service.syncNow()
    const deviceId = other.ok ? other.session.deviceId : ''
    expect((await srv.api(`/api/devices/${deviceId}/revoke`, { method: 'POST', token: await srv.login('admin'), json: {} })).status).toBe(200)
    const admin = (await srv.storage.findUserByUsername('admin'))!
    expect((await listDevices(srv.storage, admin.scope)).find((d) => d.id === deviceId)?.erasedAt).toBeNull()

    const status = await service.syncNow()
    expect(status.erased).toBe(true)
    expect(service.currentSession()).toBeNull()
    expect(await service.knownUsers()).toEqual([])
    expect(await service.erasedAt()).toEqual(expect.any(String))
    const names = (await indexedDB.databases()).map((d) => d.name)
    expect(names.filter((n) => n?.startsWith('daiban-user-'))).toEqual([])
    expect(foundIn(await dumpDatabase(indexedDB, 'daiban-device'), [NAME, ID, PHONE])).toEqual([])
    expect((await listDevices(srv.storage, admin.scope)).find((d) => d.id === deviceId)?.erasedAt).toEqual(expect.any(String))
    // Nothing to sign in to offline any more.
    net.online = false
    expect(await service.login('agent', 'demo')).toMatchObject({ ok: false, code: 'first_login_needs_network' })
  })
})
