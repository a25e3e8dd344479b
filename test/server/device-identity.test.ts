import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { SyncRequest } from '../../src/core'
import { enrolDevice } from '../../src/sync/device'
import { httpTransport, SyncHttpError } from '../../src/sync/transport'
import { CloseCode } from '../../sync-server/live/socket-watch'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { type StorageChoice } from '../helpers/server'
import { useDeviceServer } from '../helpers/enrolled-device'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const KEY = JSON.stringify({ kty: 'EC', crv: 'P-256', note: 'test device' })

const emptyPush = (deviceId: string): SyncRequest => ({
  header: { batchId: `b-${randomBytes(6).toString('hex')}`, deviceId, updates: [], commands: [], pull: null },
  updates: [],
})

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await p
  } catch (e) {
    if (e instanceof SyncHttpError) return { status: e.status, code: e.code }
    throw e
  }
  throw new Error('the request was accepted')
}

for (const storage of storages) {
  describe(`device identity (${storage})`, () => {
    const env = useDeviceServer(storage, KEY)
    const { enrolled } = env

    it('records a sync under the enrolled device its credential proves', async () => {
      const agent = await newDevice(env.srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 71)
      await agent.engine.sync()
      const audit = await env.srv.storage.auditOf(caseId)
      expect(audit.length).toBeGreaterThan(0)
      for (const a of audit) expect(a.deviceId).toBe(agent.identity.deviceId)
    })

    it('refuses a sync whose deviceId is not the caller\'s enrolled device with 403 unknown_device', async () => {
      const mine = await enrolled('agent')
      const theirs = await enrolled('agent2')
      const t = (credential?: string) => httpTransport({ baseUrl: env.srv.url, token: () => mine.token, ...(credential ? { deviceCredential: () => credential } : {}) })
      // Another account's device, with or without its credential.
      expect(await refusal(t(mine.credential).sync(emptyPush(theirs.deviceId)))).toEqual({ status: 403, code: 'unknown_device' })
      expect(await refusal(t(theirs.credential).sync(emptyPush(theirs.deviceId)))).toEqual({ status: 403, code: 'unknown_device' })
      // A made-up device, and no credential at all.
      expect(await refusal(t(mine.credential).sync(emptyPush('dev-made-up-0001')))).toEqual({ status: 403, code: 'unknown_device' })
      expect(await refusal(t().sync(emptyPush(mine.deviceId)))).toEqual({ status: 403, code: 'unknown_device' })
      // The real one goes through.
      await expect(t(mine.credential).sync(emptyPush(mine.deviceId))).resolves.toBeDefined()
    })

    it('lets township and county staff enrol devices within their own scope and sync with them', async () => {
      const township = await newDevice(env.srv.url, 'township')
      await township.engine.sync()
      const device = await env.srv.storage.getDevice(township.identity.deviceId)
      expect(device).toMatchObject({ userId: township.identity.userId, villageCode: '340826106' })
      const county = await enrolled('county')
      expect((await env.srv.storage.getDevice(county.deviceId))?.villageCode).toBe('340826')
    })

    it('revokes a device through the administrator: its syncs are refused with device_revoked and its sockets closed', async () => {
      const dev = await enrolled('agent')
      const t = httpTransport({ baseUrl: env.srv.url, token: () => dev.token, deviceCredential: () => dev.credential })
      await t.sync(emptyPush(dev.deviceId))
      const ws = new WebSocket(`${env.srv.url.replace('http', 'ws')}/api/live?token=${encodeURIComponent(dev.token)}&device=${encodeURIComponent(dev.credential)}`)
      const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })))
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))

      const byTownship = await env.srv.api(`/api/devices/${dev.deviceId}/revoke`, { method: 'POST', token: await env.srv.login('township'), json: {} })
      expect(byTownship.status).toBe(403)
      const res = await env.srv.api(`/api/devices/${dev.deviceId}/revoke`, { method: 'POST', token: await env.srv.login('admin'), json: {} })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ ok: true, deviceId: dev.deviceId, revokedAt: expect.any(String) })

      expect(await closed).toEqual({ code: CloseCode.accessRevoked, reason: 'device_revoked' })
      expect(await refusal(t.sync(emptyPush(dev.deviceId)))).toEqual({ status: 403, code: 'device_revoked' })
      // Enrolling it again does not bring it back.
      await expect(enrolDevice(env.srv.url, dev.token, dev.deviceId, KEY)).rejects.toThrow(/device_revoked/)
    })

    it('keeps the highest receipt sequence received from a device before its revocation', async () => {
      const dev = await enrolled('agent2')
      expect((await env.srv.storage.getDevice(dev.deviceId))?.highestPaperSeqAtRevocation).toBeNull()
      await env.srv.storage.revokeDevice(dev.deviceId, Date.now(), 17)
      expect(await env.srv.storage.getDevice(dev.deviceId)).toMatchObject({ revokedAt: expect.any(Number), highestPaperSeqAtRevocation: 17 })
      await env.srv.storage.setHighestPaperSeqAtRevocation(dev.deviceId, 23)
      expect((await env.srv.storage.getDevice(dev.deviceId))?.highestPaperSeqAtRevocation).toBe(23)
    })

    it('refuses a revoke outside the administrator\'s scope or of an unknown device with 404', async () => {
      const res = await env.srv.api('/api/devices/dev-unknown-0001/revoke', { method: 'POST', token: await env.srv.login('admin'), json: {} })
      expect(res.status).toBe(404)
    })
  })
}
