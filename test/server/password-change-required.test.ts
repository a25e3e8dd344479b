// After an administrator's reset the account may only choose a new password: every other endpoint
// answers 403 password_change_required, to a token issued before the reset as well as after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeSyncRequest, SYNC_CONTENT_TYPE } from '../../src/core'
import { createAccount } from '../../sync-server/admin/accounts'
import { hasPostgres } from '../helpers/pg'
import { uid } from '../helpers/raw-sync'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const PW = 'Harbour-Lantern-58'
const NEXT = 'Orchard-Kettle-93'

for (const storage of storages) {
  describe(`password change required (${storage})`, () => {
    let srv: TestServer
    let admin: string
    let id: string
    beforeAll(async () => {
      srv = await startTestServer(storage)
      const user = await createAccount(srv.storage, { username: 'htclerk', displayName: '华亭镇窗口', role: 'township', scope: '340826106', password: PW }, { userId: 'test', deviceId: 'test' })
      id = user.id
      admin = await srv.login('admin')
    })
    afterAll(async () => srv?.stop())

    const call = (token: string) => ({
      'GET /api/me': () => srv.api('/api/me', { token }),
      'GET /api/queue': () => srv.api('/api/queue', { token }),
      'GET /%61pi/queue (percent-escaped)': () => srv.api('/%61pi/queue', { token }),
      'GET /api/%71ueue (percent-escaped)': () => srv.api('/api/%71ueue', { token }),
      'GET /api/batches': () => srv.api('/api/batches', { token }),
      'GET /api/catalogue': () => srv.api('/api/catalogue', { token }),
      'GET /api/org': () => srv.api('/api/org', { token }),
      'GET /api/metrics/service': () => srv.api('/api/metrics/service?from=2026-01-01&to=2026-01-31', { token }),
      'POST /api/devices': () => srv.api('/api/devices', { method: 'POST', token, json: { deviceId: 'dev-abcdefgh1234', publicKey: '{}' } }),
      'POST /api/sync': () =>
        srv.api('/api/sync', {
          method: 'POST',
          token,
          headers: { 'content-type': SYNC_CONTENT_TYPE },
          body: encodeSyncRequest({ header: { batchId: uid('batch-'), deviceId: 'dev-abcdefgh1234', updates: [], commands: [], pull: { cursor: 0, limit: 10 } }, updates: [] }) as BodyInit,
        }),
    })

    it('refuses every endpoint but the password change until a new password is set, then lets the same token in', async () => {
      const before = await srv.login('htclerk', PW)
      expect((await srv.api('/api/queue', { token: before })).status).toBe(200)
      const reset = await srv.api(`/api/admin/accounts/${id}/reset-password`, { method: 'POST', token: admin, json: {} })
      expect(reset.status).toBe(200)
      const temporary = ((await reset.json()) as { temporaryPassword: string }).temporaryPassword
      const after = await srv.login('htclerk', temporary)
      for (const token of [before, after])
        for (const [name, send] of Object.entries(call(token))) {
          const res = await send()
          const body = (await res.json()) as { error?: { code: string } }
          expect({ name, status: res.status, code: body.error?.code }).toEqual({ name, status: 403, code: 'password_change_required' })
        }
      // Asking, and changing it, are allowed.
      expect(await (await srv.api('/api/account/password', { token: after })).json()).toMatchObject({ ok: true, mustChange: true })
      const changed = await srv.api('/api/account/password', { method: 'POST', token: after, json: { current: temporary, next: NEXT } })
      expect(changed.status).toBe(200)
      for (const [name, send] of Object.entries(call(after))) {
        const res = await send()
        const body = (await res.json().catch(() => ({}))) as { error?: { code: string } }
        expect({ name, code: body.error?.code ?? null }).not.toEqual({ name, code: 'password_change_required' })
      }
      expect((await srv.api('/api/queue', { token: after })).status).toBe(200)
    })

    it('does not hold back an account whose password was not reset', async () => {
      expect((await srv.api('/api/queue', { token: await srv.login('township') })).status).toBe(200)
    })
  })
}
