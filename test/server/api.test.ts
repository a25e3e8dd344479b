import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueToken } from '../../sync-server/auth/tokens'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`api (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    })
    afterAll(async () => srv?.stop())

    it('answers health with the storage kind and version', async () => {
      const res = await srv.api('/api/health')
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ ok: true, storage, version: expect.any(String), protocol: 1 })
    })

    it('logs in every demo account with its role and scope and an expiring token', async () => {
      const expected = {
        agent: ['agent', '340826106001'],
        agent2: ['agent', '340826107291'],
        township: ['township', '340826106'],
        township2: ['township', '340826107'],
        county: ['county', '340826'],
        admin: ['admin', '340826'],
      }
      for (const [username, [role, scope]] of Object.entries(expected)) {
        const res = await srv.api('/api/login', { method: 'POST', json: { username, password: 'demo' } })
        expect(res.status).toBe(200)
        const body = (await res.json()) as { token: string; expiresAt: string; user: { role: string; scope: string } }
        expect(body.user).toMatchObject({ role, scope })
        expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(3500_000)
        expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(3600_000)
      }
    })

    it('never stores a password in clear', async () => {
      const user = await srv.storage.findUserByUsername('agent')
      expect(user?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/)
      expect(user?.passwordHash).not.toContain('demo')
    })

    it('answers wrong credentials with 401 and one message for unknown users and wrong passwords', async () => {
      const wrong = await srv.api('/api/login', { method: 'POST', json: { username: 'county', password: 'nope' } })
      const unknown = await srv.api('/api/login', { method: 'POST', json: { username: 'nobody', password: 'nope' } })
      expect(wrong.status).toBe(401)
      expect(unknown.status).toBe(401)
      expect((await wrong.json()).error).toEqual((await unknown.json()).error)
    })

    it('slows down repeated failures for one username with 429 and Retry-After', async () => {
      for (let i = 0; i < 5; i++) expect((await srv.api('/api/login', { method: 'POST', json: { username: 'township2', password: 'x' } })).status).toBe(401)
      const blocked = await srv.api('/api/login', { method: 'POST', json: { username: 'township2', password: 'demo' } })
      expect(blocked.status).toBe(429)
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect((await blocked.json()).error.code).toBe('too_many_attempts')
    })

    it('rejects malformed login requests with 4xx and a reason', async () => {
      const cases: [RequestInit & { json?: unknown }, number][] = [
        [{ method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } }, 400],
        [{ method: 'POST', json: ['agent', 'demo'] }, 400],
        [{ method: 'POST', json: { username: 'agent' } }, 400],
        [{ method: 'POST', json: { username: 42, password: 'demo' } }, 400],
        [{ method: 'POST', body: 'username=agent', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400],
        [{ method: 'POST', json: { username: 'agent', password: 'x'.repeat(100_000) } }, 413],
        [{ method: 'GET' }, 405],
      ]
      for (const [init, status] of cases) {
        const res = await srv.api('/api/login', init)
        expect(res.status).toBe(status)
        const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } }
        expect(body.ok).toBe(false)
        expect(body.error.message.length).toBeGreaterThan(5)
      }
    })

    it('requires a valid unexpired token for protected endpoints', async () => {
      expect((await srv.api('/api/me')).status).toBe(401)
      expect((await srv.api('/api/me', { token: 'v1.abc.def' })).status).toBe(401)
      const user = (await srv.storage.findUserByUsername('agent'))!
      const expired = issueToken(srv.ctx.secret, { sub: user.id, role: 'agent', scope: user.scope }, 60, Date.now() - 3600_000)
      const res = await srv.api('/api/me', { token: expired.token })
      expect(res.status).toBe(401)
      expect((await res.json()).error.code).toBe('token_expired')
      const forged = issueToken('another-secret', { sub: user.id, role: 'admin', scope: '340826' as never }, 600)
      expect((await srv.api('/api/me', { token: forged.token })).status).toBe(401)
      const good = await srv.login('agent')
      expect(await (await srv.api('/api/me', { token: good })).json()).toMatchObject({ user: { username: 'agent', role: 'agent' } })
    })

    it('serves the org tree and the catalogue to a logged-in user', async () => {
      const token = await srv.login('agent')
      const org = (await (await srv.api('/api/org', { token })).json()) as { units: { code: string }[] }
      expect(org.units.map((u) => u.code)).toContain('340826106001')
      const cat = (await (await srv.api('/api/catalogue', { token })).json()) as { items: { name: string }[] }
      expect(cat.items.length).toBe(11)
      expect(cat.items.map((i) => i.name)).toContain('最低生活保障')
    })

    it('lets only an administrator load a working-day arrangement, validated', async () => {
      const arrangement = { year: 2027, holidays: ['2027-01-01'], workdays: [] }
      const agent = await srv.login('agent')
      expect((await srv.api('/api/calendar/2027', { method: 'PUT', token: agent, json: arrangement })).status).toBe(403)
      const admin = await srv.login('admin')
      const bad = await srv.api('/api/calendar/2027', { method: 'PUT', token: admin, json: { year: 2027, holidays: ['2027-13-01'], workdays: [] } })
      expect(bad.status).toBe(422)
      expect((await bad.json()).error.details.problems).toEqual(['holidays[0]: not a valid day'])
      expect((await srv.api('/api/calendar/2027', { method: 'PUT', token: admin, json: arrangement })).status).toBe(200)
      expect(await (await srv.api('/api/calendar', { token: agent })).json()).toMatchObject({ arrangements: [arrangement] })
    })

    it('enrols an agent device with a device number for its village', async () => {
      const token = await srv.login('agent')
      const enrol = (id: string, tok = token) => srv.api('/api/devices', { method: 'POST', token: tok, json: { deviceId: id, publicKey: '{"kty":"EC","crv":"P-256","x":"…","y":"…"}', label: '平板' } })
      const a = await (await enrol('tablet-0001')).json()
      const b = await (await enrol('tablet-0002')).json()
      expect(a).toMatchObject({ deviceNumber: 1, villageCode: '340826106001' })
      expect(b).toMatchObject({ deviceNumber: 2 })
      expect((await enrol('x')).status).toBe(400)
      // Staff enrol their own devices too, numbered within their township.
      expect(await (await enrol('tablet-0003', await srv.login('township'))).json()).toMatchObject({ deviceNumber: 1, villageCode: '340826106' })
      expect((await enrol('tablet-0001', await srv.login('agent2'))).status).toBe(409)
    })

    it('answers unknown API paths with 404 in JSON', async () => {
      const res = await srv.api('/api/nope')
      expect(res.status).toBe(404)
      expect((await res.json()).error.code).toBe('not_found')
    })
  })
}
