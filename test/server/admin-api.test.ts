import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeSyncRequest } from '../../src/core'
import { createAccount } from '../../sync-server/admin/accounts'
import { version } from '../../package.json'
import { postSync, uid } from '../helpers/raw-sync'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const PW = 'Harbour-Lantern-58'

for (const storage of storages) {
  describe(`admin-api (${storage})`, () => {
    let srv: TestServer
    let a: string // 宿松县 administrator (demo)
    let b: string // another county's administrator
    let agentDevice: Awaited<ReturnType<typeof newDevice>>
    beforeAll(async () => {
      srv = await startTestServer(storage)
      await createAccount(srv.storage, { username: 'wjadmin', displayName: '望江县管理员', role: 'admin', scope: '340827', password: PW }, { userId: 'test', deviceId: 'test' }, { countyName: '望江县' })
      a = await srv.login('admin')
      b = await srv.login('wjadmin', PW)
      const agent = await newDevice(srv.url, 'agent')
      agentDevice = agent
      await takeInCase(agent, itemNamed(agent, '高龄津贴'), 301)
      await agent.engine.sync()
    }, 60_000)
    afterAll(() => srv.stop())

    const post = (path: string, token: string, json: unknown = {}) => srv.api(path, { method: 'POST', token, json })
    const get = async (path: string, token: string) => (await srv.api(path, { token })).json()

    it('refuses non-administrators and administrators reaching into another county', async () => {
      expect((await srv.api('/api/admin/accounts', { token: await srv.login('county') })).status).toBe(403)
      expect((await srv.api('/api/admin/accounts')).status).toBe(401)
      const agentId = (await srv.storage.findUserByUsername('agent'))!.id
      for (const path of [`/api/admin/accounts/${agentId}/disable`, `/api/admin/accounts/${agentId}/reset-password`]) {
        const res = await post(path, b)
        expect(res.status).toBe(404)
      }
      expect((await srv.storage.findUserByUsername('agent'))!.disabled).toBe(false)
      const create = await post('/api/admin/accounts', b, { username: 'intruder', displayName: '外县', role: 'agent', scope: '340826106001', password: PW })
      expect(create.status).toBe(403)
      expect((await create.json()).error.code).toBe('out_of_scope')
      const lists = await Promise.all(['accounts', 'devices', 'org', 'audit'].map((r) => get(`/api/admin/${r}`, b)))
      expect(JSON.stringify(lists)).not.toContain('340826')
      expect(lists[0].accounts.map((x: { username: string }) => x.username)).toEqual(['wjadmin'])
      // The own county's administrator sees its devices and the case's audit rows.
      const devices = (await get('/api/admin/devices', a)).devices
      expect(devices).toHaveLength(1)
      expect(devices[0]).toMatchObject({ villageCode: '340826106001', account: { username: 'agent' } })
      expect(devices[0].lastSyncAt).not.toBeNull()
      const audit = await get('/api/admin/audit?action=command:submit', a)
      expect(audit.rows.length).toBeGreaterThanOrEqual(1)
      expect(audit.rows.every((r: { action: string }) => r.action === 'command:submit')).toBe(true)
    })

    it("lists each device's app version and unsynced count as reported with its last sync", async () => {
      const first = (await get('/api/admin/devices', a)).devices[0]
      // The first request of that sync carried the case taken in offline.
      expect(first).toMatchObject({ id: agentDevice.identity.deviceId, appVersion: version })
      expect(first.unsynced).toBeGreaterThan(0)
      await takeInCase(agentDevice, itemNamed(agentDevice, '临时救助'), 302, false)
      await agentDevice.engine.sync() // reports the pending case, then pushes it
      await agentDevice.engine.sync() // nothing pending now
      const later = (await get('/api/admin/devices', a)).devices[0]
      expect(later).toMatchObject({ appVersion: version, unsynced: 0 })
      expect(Date.parse(later.lastSyncAt)).toBeGreaterThanOrEqual(Date.parse(first.lastSyncAt))
    })

    it('refuses a sync whose device report is out of bounds, and records nothing from it', async () => {
      const token = await srv.login('agent')
      const deviceId = agentDevice.identity.deviceId
      for (const client of [{ appVersion: 'x'.repeat(33), unsynced: 1 }, { appVersion: '9.9.9', unsynced: -1 }, { appVersion: '9.9.9', unsynced: 1.5 }, { appVersion: '<script>', unsynced: 1 }, { appVersion: '9.9.9', unsynced: 1, extra: 1 }]) {
        const body = encodeSyncRequest({ header: { batchId: uid('batch-'), deviceId, client: client as never, updates: [], commands: [], pull: null }, updates: [] })
        const r = await postSync(srv.url, token, body)
        expect({ client, status: r.status }).toEqual({ client, status: 400 })
        expect(r.text).toContain('client')
      }
      expect((await get('/api/admin/devices', a)).devices[0].appVersion).toBe(version)
    })

    it('reports every wrong row of a division list at once and imports nothing, then imports a clean list', async () => {
      const csv = ['代码,名称', '340827100000,华阳镇', '34082710100,短码镇', '340826106500,外县村', '340827100001,', '340827100001,重复村', '340827999001,无乡镇村', '340827100002,华阳村'].join('\n')
      const bad = await post('/api/admin/org/import', b, { csv })
      expect(bad.status).toBe(422)
      const body = await bad.json()
      expect(body.error.details.rows.map((r: { line: number; code: string }) => [r.line, r.code])).toEqual([
        [3, 'bad_code'],
        [4, 'outside_scope'],
        [5, 'bad_name'],
        [6, 'duplicate'],
        [7, 'no_parent'],
      ])
      expect((await get('/api/admin/org', b)).units.map((u: { code: string }) => u.code)).toEqual(['340827'])
      const good = await post('/api/admin/org/import', b, { csv: '340827100000,华阳镇\n340827100001,华阳社区\n340827200000,示范乡\n340827200201,示范村' })
      expect(good.status).toBe(200)
      expect(await good.json()).toMatchObject({ townships: 2, villages: 2, added: 4, imported: true })
      const units = (await get('/api/admin/org', b)).units
      expect(units.find((u: { code: string }) => u.code === '340827100001')).toMatchObject({ level: 'village', parent: '340827100', name: '华阳社区' })
    })

    it('applies the password policy, lists every problem, and makes clerks with a department', async () => {
      const weak = await post('/api/admin/accounts', b, { username: 'huayang01', displayName: '华阳代办', role: 'agent', scope: '340827100001', password: 'huayang01x' })
      expect(weak.status).toBe(422)
      expect((await weak.json()).error.details.problems.map((p: { code: string }) => p.code)).toEqual(['password_contains_username'])
      const both = await post('/api/admin/accounts', b, { username: 'huayang01', displayName: '华阳代办', role: 'agent', scope: '340827100', password: 'qwertyuiop' })
      expect((await both.json()).error.details.problems.map((p: { code: string }) => p.code)).toEqual(['invalid_scope', 'password_common'])
      const extra = await post('/api/admin/accounts', b, { username: 'x'.repeat(40), displayName: '', role: 'boss', scope: 'abc', password: PW, admin: true })
      expect(extra.status).toBe(400)
      const agent = await post('/api/admin/accounts', b, { username: 'huayang01', displayName: '华阳代办', role: 'agent', scope: '340827100001', password: PW })
      expect(agent.status).toBe(201)
      const clerk = await post('/api/admin/accounts', b, { username: 'hyclerk', displayName: '华阳民政窗口', role: 'township', scope: '340827100', department: 'civil_affairs', password: PW })
      expect((await clerk.json()).account).toMatchObject({ role: 'township', department: 'civil_affairs', disabled: false })
    })

    it('disables without deleting, and a reset password must be changed at next sign-in', async () => {
      const id = (await srv.storage.findUserByUsername('huayang01'))!.id
      expect((await post(`/api/admin/accounts/${id}/disable`, b)).status).toBe(200)
      expect((await srv.api('/api/login', { method: 'POST', json: { username: 'huayang01', password: PW } })).status).toBe(401)
      expect((await srv.storage.getUser(id))?.username).toBe('huayang01')
      expect((await post(`/api/admin/accounts/${id}/enable`, b)).status).toBe(200)

      const reset = await (await post(`/api/admin/accounts/${id}/reset-password`, b)).json()
      expect(reset.temporaryPassword).toMatch(/^[a-z2-9]{12}$/)
      const login = await (await srv.api('/api/login', { method: 'POST', json: { username: 'huayang01', password: reset.temporaryPassword } })).json()
      expect(login.mustChangePassword).toBe(true)
      const same = await post('/api/account/password', login.token, { current: reset.temporaryPassword, next: 'huayang01-new' })
      expect((await same.json()).error.details.problems.map((p: { code: string }) => p.code)).toEqual(['password_contains_username'])
      expect((await post('/api/account/password', login.token, { current: reset.temporaryPassword, next: PW })).status).toBe(200)
      expect((await get('/api/account/password', login.token)).mustChange).toBe(false)
      const actions = (await get('/api/admin/audit?user=wjadmin', b)).rows.map((r: { action: string }) => r.action)
      expect(actions).toEqual(expect.arrayContaining(['account:disable', 'account:enable', 'account:reset_password', 'org:import', 'account:create']))
    })

    it('saves an edited item as a new version and never changes a published one', async () => {
      const list = (await get('/api/admin/catalogue', a)).items
      const entry = list.find((i: { name: string }) => i.name === '高龄津贴')
      const v1 = entry.versions.at(-1)
      const edited = { ...v1, promisedDays: Math.max(1, (v1.promisedDays ?? 10) - 1), version: v1.version }
      const saved = await post(`/api/admin/catalogue/${v1.code}/versions`, a, { item: edited })
      expect(saved.status).toBe(201)
      expect((await saved.json()).item.version).toBe(v1.version + 1)
      expect(await srv.storage.getItem(v1.code, v1.version)).toEqual(v1)
      const broken = await post(`/api/admin/catalogue/${v1.code}/versions`, a, { item: { ...v1, name: '', materials: [{ id: 'x' }] } })
      expect(broken.status).toBe(422)
      const problems = (await broken.json()).error.details.problems as string[]
      expect(problems.length).toBeGreaterThanOrEqual(2)
      expect(problems.every((p) => p.startsWith('item'))).toBe(true)
      // Loading a whole catalogue may not overwrite a published version either.
      const overwrite = await srv.api('/api/catalogue', { method: 'PUT', token: a, json: { items: [{ ...v1, name: '改名' }] } })
      expect(overwrite.status).toBe(409)
      expect((await srv.storage.getItem(v1.code, v1.version))?.name).toBe('高龄津贴')
    })
    it('loads a year of the working-day calendar from checked day lists, naming each wrong entry', async () => {
      const bad = await srv.api('/api/admin/calendar/2031', { method: 'PUT', token: b, json: { year: 2031, holidays: ['2031-01-01', '2030-12-31', '2031-01-01'], workdays: ['2031-01-06'] } })
      expect(bad.status).toBe(422)
      expect((await bad.json()).error.details.problems).toEqual([
        'holidays[1]: 2030-12-31 is not in 2031',
        'holidays[2]: 2031-01-01 is listed twice',
        'workdays[0]: 2031-01-06 is a weekday already',
      ])
      expect((await srv.api('/api/admin/calendar/2031', { method: 'PUT', token: await srv.login('county'), json: { year: 2031, holidays: [], workdays: [] } })).status).toBe(403)
      const ok = await srv.api('/api/admin/calendar/2031', { method: 'PUT', token: b, json: { year: 2031, holidays: ['2031-01-01'], workdays: ['2031-01-04'], source: '测试' } })
      expect(ok.status).toBe(200)
      const cal = await get('/api/admin/calendar', b)
      expect(cal.officialYears).toContain(2031)
      expect(cal.loaded).toContainEqual({ year: 2031, holidays: ['2031-01-01'], workdays: ['2031-01-04'], source: '测试' })
    })
  })
}
