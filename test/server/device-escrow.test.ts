import { describe, expect, it } from 'vitest'
import { listDevices } from '../../sync-server/admin/devices-admin'
import { hasPostgres } from '../helpers/pg'
import { type StorageChoice } from '../helpers/server'
import { useDeviceServer } from '../helpers/enrolled-device'

const KEY = JSON.stringify({ kty: 'EC', crv: 'P-256', note: 'escrow test device' })

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) describe(`device escrow (${storage})`, () => {
  const env = useDeviceServer(storage, KEY)
  const { enrolled } = env
  const escrow = (token: string, credential: string | null, body: unknown) =>
    env.srv.api('/api/devices/escrow', { method: 'POST', token, json: body, ...(credential ? { headers: { 'x-daiban-device': credential } } : {}) })

  it('hands an enrolled device the same escrow key each time, a different one per device', async () => {
    const a = await enrolled('agent')
    const r1 = await escrow(a.token, a.credential, { deviceId: a.deviceId, password: 'demo' })
    expect(r1.status).toBe(200)
    expect(r1.headers.get('cache-control')).toBe('no-store')
    const k1 = ((await r1.json()) as { key: string }).key
    expect(Buffer.from(k1, 'base64').length).toBe(32)
    const k2 = ((await (await escrow(a.token, a.credential, { deviceId: a.deviceId, password: 'demo' })).json()) as { key: string }).key
    expect(k2).toBe(k1)
    const b = await enrolled('agent')
    const k3 = ((await (await escrow(b.token, b.credential, { deviceId: b.deviceId, password: 'demo' })).json()) as { key: string }).key
    expect(k3).not.toBe(k1)
  })

  it('refuses without the device credential, with another account\'s credential, or with a wrong password', async () => {
    const a = await enrolled('agent')
    const other = await enrolled('agent2')
    expect((await escrow(a.token, null, { deviceId: a.deviceId, password: 'demo' })).status).toBe(403)
    expect((await escrow(a.token, other.credential, { deviceId: other.deviceId, password: 'demo' })).status).toBe(403)
    expect((await escrow(a.token, a.credential, { deviceId: a.deviceId, password: 'not-the-password' })).status).toBe(401)
    expect((await escrow('not-a-token', a.credential, { deviceId: a.deviceId, password: 'demo' })).status).toBe(401)
  })

  it('refuses a body that does not match the schema with 400', async () => {
    const a = await enrolled('agent')
    expect((await escrow(a.token, a.credential, { deviceId: a.deviceId })).status).toBe(400)
    expect((await escrow(a.token, a.credential, { deviceId: a.deviceId, password: 'demo', extra: 1 })).status).toBe(400)
    expect((await escrow(a.token, a.credential, { deviceId: 'x', password: 'demo' })).status).toBe(400)
  })

  it('refuses a revoked device, then records its erase report once and shows it in the device list', async () => {
    const a = await enrolled('agent')
    const report = () => env.srv.api('/api/devices/erased', { method: 'POST', json: { deviceId: a.deviceId, userId: a.userId }, headers: { 'x-daiban-device': a.credential } })
    // Not revoked yet: an erase report is refused.
    expect((await report()).status).toBe(409)
    expect((await env.srv.api(`/api/devices/${a.deviceId}/revoke`, { method: 'POST', token: await env.srv.login('admin'), json: {} })).status).toBe(200)
    const refused = await escrow(a.token, a.credential, { deviceId: a.deviceId, password: 'demo' })
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('device_revoked')
    // A forged credential records nothing.
    const forged = await env.srv.api('/api/devices/erased', { method: 'POST', json: { deviceId: a.deviceId, userId: a.userId }, headers: { 'x-daiban-device': `dc1.${a.deviceId}.AAAA` } })
    expect(forged.status).toBe(403)
    const before = (await listDevices(env.srv.storage, (await env.srv.storage.findUserByUsername('admin'))!.scope)).find((d) => d.id === a.deviceId)
    expect(before?.erasedAt).toBeNull()
    expect(await (await report()).json()).toMatchObject({ ok: true, recorded: true })
    expect(await (await report()).json()).toMatchObject({ ok: true, recorded: false })
    const after = (await listDevices(env.srv.storage, (await env.srv.storage.findUserByUsername('admin'))!.scope)).find((d) => d.id === a.deviceId)
    expect(after?.erasedAt).toEqual(expect.any(String))
  })

  it('records no erase for a device other than the one whose credential is presented, nor for another account', async () => {
    const a = await enrolled('agent')
    const b = await enrolled('agent')
    const other = await enrolled('agent2')
    const admin = await env.srv.login('admin')
    for (const d of [b, other]) expect((await env.srv.api(`/api/devices/${d.deviceId}/revoke`, { method: 'POST', token: admin, json: {} })).status).toBe(200)
    const report = (credential: string, body: { deviceId: string; userId: string }) => env.srv.api('/api/devices/erased', { method: 'POST', json: body, headers: { 'x-daiban-device': credential } })
    // a's valid credential naming the revoked device b of the same account, or another account's device.
    expect((await report(a.credential, { deviceId: b.deviceId, userId: a.userId })).status).toBe(403)
    expect((await report(a.credential, { deviceId: other.deviceId, userId: other.userId })).status).toBe(403)
    expect((await report(a.credential, { deviceId: a.deviceId, userId: other.userId })).status).toBe(403)
    const devices = await listDevices(env.srv.storage, (await env.srv.storage.findUserByUsername('admin'))!.scope)
    expect(devices.filter((d) => d.id === b.deviceId || d.id === other.deviceId).map((d) => d.erasedAt)).toEqual([null, null])
  })
})
