import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkingDays, type Actor, type DivisionCode, type UserId } from '../../src/core'
import { casesCsv, metricsCsv, serviceMetrics } from '../../sync-server/queue/metrics-service'
import { getCaseView, listBatches, listQueue, type QueueClock } from '../../sync-server/queue/queue-service'
import type { QueueParams } from '../../sync-server/queue/schemas'
import type { CaseRecord } from '../../sync-server/storage'
import { hasPostgres } from '../helpers/pg'
import { buildCase, insertCases, itemByName } from '../helpers/queue-data'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

const POLIANG = '340826106001' // 破凉社区, 华亭镇
const SHIFAN1 = '340826106291' // 示范一村, 华亭镇
const YANSHI1 = '340826107291' // 演示一村, 凉亭镇
const clock: QueueClock = { today: '2026-03-10', now: Date.parse('2026-03-10T04:00:00.000Z'), dueSoonDays: 3 }

const actor = (userId: string, role: Actor['role'], scope: string, department?: Actor['department']): Actor => ({
  userId: userId as UserId,
  role,
  scope: scope as DivisionCode,
  ...(department ? { department } : {}),
})
const township = actor('u-township', 'township', '340826106')
const township2 = actor('u-township2', 'township', '340826107')
const county = actor('u-county', 'county', '340826')

const relief = itemByName('临时救助') // civil affairs, township level, 15 days
const birth = itemByName('生育登记') // health, instant
const dibao = itemByName('最低生活保障') // civil affairs, county level
const medical = itemByName('医疗救助（大病救助）') // medical insurance, county level
const legal = itemByName('法律援助申请') // justice, county level
const elderly = itemByName('高龄津贴') // civil affairs, county level

/** The fixed data set; comments give the due day at 2026-03-10. */
function fixedCases(): CaseRecord[] {
  return [
    buildCase({ id: 'h1', village: POLIANG, item: relief, name: '张三', created: '2026-03-02', steps: [['submit', 'agent', '2026-03-02'], ['accept', 'township', '2026-03-03']] }), // 03-24
    buildCase({ id: 'h2', village: POLIANG, item: birth, name: '李四', created: '2026-03-04', steps: [['submit', 'agent', '2026-03-04']] }), // acceptance 03-11
    buildCase({ id: 'h3', village: SHIFAN1, item: dibao, name: '王五', created: '2026-02-02', steps: [['submit', 'agent', '2026-02-02'], ['accept', 'township', '2026-02-03'], ['forward', 'township', '2026-02-04']] }),
    buildCase({ id: 'h4', village: SHIFAN1, item: medical, name: '赵六', created: '2026-01-05', steps: [['submit', 'agent', '2026-01-05'], ['accept', 'township', '2026-01-06'], ['forward', 'township', '2026-01-07']] }), // 02-03, overdue
    buildCase({ id: 'h5', village: POLIANG, item: relief, name: '孙七', created: '2026-02-09', steps: [['submit', 'agent', '2026-02-09'], ['accept', 'township', '2026-02-10'], ['complete', 'township', '2026-02-12'], ['deliver', 'agent', '2026-02-13', { trips: 0 }], ['rate', 'agent', '2026-02-13']] }),
    buildCase({ id: 'h6', village: POLIANG, item: birth, name: '周八', created: '2026-02-09', steps: [['submit', 'agent', '2026-02-09'], ['accept', 'township', '2026-02-09'], ['complete', 'township', '2026-02-09'], ['deliver', 'agent', '2026-02-10', { trips: 1 }]] }),
    buildCase({ id: 'h7', village: POLIANG, item: relief, name: '吴九', created: '2026-02-02', steps: [['submit', 'agent', '2026-02-02'], ['return', 'township', '2026-02-03'], ['submit', 'agent', '2026-02-05'], ['accept', 'township', '2026-02-05'], ['complete', 'township', '2026-03-06']] }), // due 03-04: late
    buildCase({ id: 'l1', village: YANSHI1, item: relief, name: '郑十', created: '2026-03-02', steps: [['submit', 'agent', '2026-03-02']] }), // acceptance 03-09, overdue
    buildCase({ id: 'h8', village: POLIANG, item: relief, name: '钱一', created: '2026-03-05', steps: [] }), // draft
    buildCase({ id: 'h9', village: POLIANG, item: legal, name: '冯二', created: '2026-03-09', steps: [['submit', 'agent', '2026-03-09'], ['claim', 'u-clerk', '2026-03-10']] }), // acceptance 03-16
    buildCase({ id: 'h9b', village: POLIANG, item: elderly, name: '陈三', created: '2026-03-09', steps: [['submit', 'agent', '2026-03-09']] }), // acceptance 03-16
  ]
}

for (const storage of storages) {
  describe(`queue (${storage})`, () => {
    let srv: TestServer
    let cases: Map<string, CaseRecord>
    const ids = async (a: Actor, p: QueueParams = {}) => (await listQueue(srv.storage, a, p, clock)).rows.map((r) => r.id)

    beforeAll(async () => {
      srv = await startTestServer(storage)
      const list = fixedCases()
      // h6 is rated 不满意 (2) after delivery.
      const h6 = list.find((c) => c.id === 'h6')!
      list[list.indexOf(h6)] = buildCase({
        id: 'h6', village: POLIANG, item: birth, name: '周八', created: '2026-02-09',
        steps: [['submit', 'agent', '2026-02-09'], ['accept', 'township', '2026-02-09'], ['complete', 'township', '2026-02-09'], ['deliver', 'agent', '2026-02-10', { trips: 1 }]],
      })
      await insertCases(srv.storage, list)
      await srv.storage.syncTransaction((tx) => tx.linkBlobs([{ caseId: 'h9b', hash: 'a'.repeat(64) }]))
      cases = new Map(list.map((c) => [c.id, c]))
    })
    afterAll(async () => srv?.stop())

    it('keeps routing columns of every stored case: due day, receipt, acceptance, completion', async () => {
      const h1 = await srv.storage.getCase('h1')
      expect(h1?.routing).toMatchObject({ open: true, due: '2026-03-24', dueKind: 'decision', submittedOn: '2026-03-02', acceptedOn: '2026-03-03', receivedBy: 'u-agent', receivedDevice: 'device-1' })
      expect((await srv.storage.getCase('h2'))?.routing).toMatchObject({ due: addWorkingDays('2026-03-04', 5).date, dueKind: 'acceptance' })
      expect((await srv.storage.getCase('h7'))?.routing).toMatchObject({ open: false, due: '9999-12-31', returned: true, onTime: false, completedOn: '2026-03-06', workDays: 17 })
      expect((await srv.storage.getCase('h9'))?.routing).toMatchObject({ assignee: 'u-clerk' })
    })

    it('lists a township queue of open cases in due order, drafts and closed cases left out', async () => {
      expect(await ids(township)).toEqual(['h4', 'h2', 'h9', 'h9b', 'h3', 'h1'])
      const page = await listQueue(srv.storage, township, {}, clock)
      const h2 = page.rows.find((r) => r.id === 'h2')!
      expect(h2).toMatchObject({ status: 'submitted', applicant: '李*', due: '2026-03-11', dueKind: 'acceptance', timeLeft: 'due_soon', acceptance: { workingDay: 4, flagged: true, lapsed: false } })
      expect(page.rows.find((r) => r.id === 'h4')).toMatchObject({ timeLeft: 'overdue', status: 'forwarded' })
      expect(page.rows.find((r) => r.id === 'h1')).toMatchObject({ timeLeft: 'on_track', acceptance: null })
      expect(await ids(township, { state: 'all' })).toEqual(['h4', 'h2', 'h9', 'h9b', 'h3', 'h1', 'h5', 'h6', 'h7'])
    })

    it('filters by department, state, village, item, assignee and due', async () => {
      expect(await ids(township, { department: 'civil_affairs' })).toEqual(['h9b', 'h3', 'h1'])
      expect(await ids(township, { state: 'submitted' })).toEqual(['h2', 'h9', 'h9b'])
      expect(await ids(township, { state: 'completed' })).toEqual(['h7'])
      expect(await ids(township, { state: 'delivered' })).toEqual(['h5', 'h6'])
      expect(await ids(township, { village: SHIFAN1 })).toEqual(['h4', 'h3'])
      expect(await ids(township, { item: relief.code })).toEqual(['h1'])
      expect(await ids(actor('u-clerk', 'township', '340826106'), { assignee: 'me' })).toEqual(['h9'])
      expect(await ids(township, { assignee: 'u-clerk' })).toEqual(['h9'])
      expect(await ids(township, { assignee: 'none' })).toEqual(['h4', 'h2', 'h9b', 'h3', 'h1'])
      expect(await ids(township, { due: 'overdue' })).toEqual(['h4'])
      expect(await ids(township, { due: 'soon' })).toEqual(['h4', 'h2'])
      const row = (await listQueue(srv.storage, township, { assignee: 'u-clerk' }, clock)).rows[0]!
      expect(row.assignee).toMatchObject({ userId: 'u-clerk', name: 'u-clerk' })
    })

    it('finds cases by case number, resident name, pinyin and initials, taking wildcards literally', async () => {
      expect(await ids(township, { q: '张' })).toEqual(['h1'])
      expect(await ids(township, { q: 'zs' })).toEqual(['h1'])
      expect(await ids(township, { q: 'ZhangSan' })).toEqual(['h1'])
      expect(await ids(township, { q: cases.get('h2')!.number.slice(0, 24) })).toEqual(['h2'])
      expect(await ids(township, { q: '%' })).toEqual([])
      expect(await ids(township, { q: '_' })).toEqual([])
    })

    it('pages with an opaque keyset cursor, every row once, and refuses a forged cursor', async () => {
      const seen: string[] = []
      let cursor: string | undefined
      for (let i = 0; i < 10; i++) {
        const page = await listQueue(srv.storage, township, { limit: 2, ...(cursor ? { cursor } : {}) }, clock)
        seen.push(...page.rows.map((r) => r.id))
        if (!page.next) break
        expect(page.rows).toHaveLength(2)
        cursor = page.next
      }
      expect(seen).toEqual(['h4', 'h2', 'h9', 'h9b', 'h3', 'h1'])
      await expect(listQueue(srv.storage, township, { cursor: 'bm90LWEtY3Vyc29y' }, clock)).rejects.toMatchObject({ code: 'bad_request' })
    })

    it('limits a department clerk to its department and the county to forwarded cases plus supervision', async () => {
      expect(await ids(actor('u-health', 'township', '340826106', 'health'))).toEqual(['h2'])
      expect(await ids(actor('u-health', 'township', '340826106', 'health'), { department: 'civil_affairs' })).toEqual([])
      expect(await ids(county)).toEqual(['h4', 'h3'])
      expect(await ids(actor('u-county-mz', 'county', '340826', 'civil_affairs'))).toEqual(['h3'])
      expect(await ids(county, { view: 'supervision' })).toEqual(['h4', 'l1', 'h2'])
      await expect(listQueue(srv.storage, township, { view: 'supervision' }, clock)).rejects.toMatchObject({ code: 'forbidden' })
      // The county may open a supervised township case (masked) but not reveal its numbers.
      expect((await getCaseView(srv.storage, county, 'l1', {}, clock)).case.status).toBe('submitted')
      await expect(getCaseView(srv.storage, county, 'l1', { reveal: true, reason: '督办核查' }, clock)).rejects.toMatchObject({ code: 'forbidden' })
      await expect(getCaseView(srv.storage, county, 'h1', {}, clock)).rejects.toMatchObject({ code: 'not_found' })
      expect(await ids(actor('u-agent', 'agent', POLIANG), { state: 'all' })).toEqual(['h2', 'h9', 'h9b', 'h1', 'h5', 'h6', 'h7', 'h8'])
    })

    it('never shows 凉亭镇 staff a 华亭镇 case: queue, search, batches, case page, metrics or CSV', async () => {
      expect(await ids(township2, { state: 'all' })).toEqual(['l1'])
      expect(await ids(township2, { q: '张' })).toEqual([])
      expect(await ids(township2, { village: POLIANG })).toEqual([])
      expect((await listBatches(srv.storage, township2, {}, clock.now)).batches.map((b) => b.village)).toEqual([YANSHI1])
      await expect(listBatches(srv.storage, township2, { village: POLIANG }, clock.now)).rejects.toMatchObject({ code: 'out_of_scope' })
      for (const ref of ['h1', cases.get('h1')!.number]) await expect(getCaseView(srv.storage, township2, ref, {}, clock)).rejects.toMatchObject({ code: 'not_found' })
      const csv = await casesCsv(srv.storage, township2, { state: 'all' }, clock)
      expect(csv).toContain(cases.get('l1')!.number)
      for (const c of cases.values()) if (c.township === '340826106') expect(csv).not.toContain(c.number)
      const m = await serviceMetrics(srv.storage, township2, { from: '2026-01-01', to: '2026-03-31', by: 'village' })
      expect(m.groups.map((g) => g.key)).toEqual([YANSHI1])
      await expect(serviceMetrics(srv.storage, township2, { from: '2026-01-01', to: '2026-03-31', township: '340826106' })).rejects.toMatchObject({ code: 'out_of_scope' })
    })

    it('lists incoming batches per village and device with pending cases and missing photos', async () => {
      const { batches } = await listBatches(srv.storage, township, {}, clock.now)
      expect(batches[0]).toMatchObject({ village: POLIANG, device: 'device-1', agent: 'u-agent', cases: 2, pending: 2, missingPhotos: 1, receivedAt: '2026-03-09T04:00:00.000Z' })
      expect(batches.map((b) => b.receivedAt.slice(0, 10))).toEqual(['2026-03-09', '2026-03-04', '2026-03-02', '2026-02-09'])
      expect((await listBatches(srv.storage, township, { days: 90 }, clock.now)).batches).toHaveLength(7)
      await expect(listBatches(srv.storage, county, {}, clock.now)).rejects.toMatchObject({ code: 'forbidden' })
    })

    it('computes service metrics on the fixed data set as worked out by hand', async () => {
      const feb = await serviceMetrics(srv.storage, county, { from: '2026-02-01', to: '2026-02-28', by: 'township' })
      expect(feb.groups.map((g) => [g.key, g.name])).toEqual([['340826106', '华亭镇']])
      expect(feb.total).toEqual({
        takenIn: 4, accepted: 4, completed: 2, onTimeRate: 1, onTheSpotRate: 0.25, averageWorkingDays: 1, returnRate: 0.25, averageTrips: 0.5, zeroTripShare: 0.5,
        ratings: { veryGood: 1, good: 0, fair: 0, bad: 0, veryBad: 0 }, satisfactionRate: 1,
        meetsTargets: { onTime: true, onTheSpot: false, satisfaction: true },
      })
      expect(feb.weekly).toEqual([
        { week: '2026-01-26', takenIn: 0, onTimeRate: null },
        { week: '2026-02-02', takenIn: 2, onTimeRate: null },
        { week: '2026-02-09', takenIn: 2, onTimeRate: 1 },
        { week: '2026-02-16', takenIn: 0, onTimeRate: null },
        { week: '2026-02-23', takenIn: 0, onTimeRate: null },
      ])
      const mar = await serviceMetrics(srv.storage, county, { from: '2026-03-01', to: '2026-03-31', by: 'department' })
      expect(mar.total).toMatchObject({ takenIn: 5, accepted: 1, completed: 1, onTimeRate: 0, averageWorkingDays: 17 })
      expect(Object.fromEntries(mar.groups.map((g) => [g.key, g.figures.takenIn]))).toEqual({ civil_affairs: 3, health: 1, justice: 1 })
      const health = await serviceMetrics(srv.storage, actor('u-health', 'township', '340826106', 'health'), { from: '2026-02-01', to: '2026-03-31', by: 'item' })
      expect(health.groups.map((g) => [g.name, g.figures.takenIn])).toEqual([['生育登记', 2]])
      await expect(serviceMetrics(srv.storage, actor('u-agent', 'agent', POLIANG), { from: '2026-02-01', to: '2026-02-28' })).rejects.toMatchObject({ code: 'forbidden' })
    })

    it('gives the same totals whichever grouping is chosen, each group summing to them', async () => {
      const period = { from: '2026-01-01', to: '2026-03-31' }
      const byTownship = await serviceMetrics(srv.storage, county, { ...period, by: 'township' })
      expect(byTownship.total).toMatchObject({ takenIn: 10, accepted: 6, completed: 3, ratings: { veryGood: 1, good: 0, fair: 0, bad: 0, veryBad: 0 } })
      for (const by of ['county', 'village', 'department', 'item'] as const) {
        const m = await serviceMetrics(srv.storage, county, { ...period, by })
        expect(m.total, by).toEqual(byTownship.total)
        expect(m.weekly, by).toEqual(byTownship.weekly)
        const sum = (f: 'takenIn' | 'accepted' | 'completed') => m.groups.reduce((acc, g) => acc + g.figures[f], 0)
        expect([sum('takenIn'), sum('accepted'), sum('completed')], by).toEqual([10, 6, 3])
      }
      expect((await serviceMetrics(srv.storage, county, { ...period, by: 'village' })).groups.map((g) => g.key)).toEqual([POLIANG, SHIFAN1, YANSHI1])
    })

    it('exports metrics and cases as CSV with a BOM, personal numbers masked', async () => {
      const m = await metricsCsv(srv.storage, county, { from: '2026-02-01', to: '2026-02-28', by: 'township' })
      expect(m.charCodeAt(0)).toBe(0xfeff)
      expect(m).toContain('340826106,华亭镇,4,4,2,100.00,25.00,1,25.00,0.5,50.00,1,0,0,0,0,100.00\r\n')
      expect(m).toContain('目标,,,,,99.50,85.00,')
      const c = await casesCsv(srv.storage, township, {}, clock)
      expect(c.split('\r\n')[0]).toBe('\uFEFF案件编号,村(社区),事项,部门,状态,申请人,身份证号,收件日期,期限,期限类型,预计,剩余,经办人')
      expect(c).toContain('破凉社区,临时救助,civil_affairs,accepted,张*,')
      expect(c).not.toContain('张三')
    })
  })

  describe(`queue through sync (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    })
    afterAll(async () => srv?.stop())

    it('routes a pushed case in the log transaction and shows it masked, revealing with an audited reason', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const dev = await newDevice(srv.url, 'township')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 7)
      await agent.engine.sync()
      const rec = await srv.storage.getCase(caseId)
      expect(rec?.routing).toMatchObject({ open: true, dueKind: 'acceptance', receivedDevice: expect.any(String), receivedBy: expect.any(String) })
      expect(rec?.routing?.nameKey.length).toBeGreaterThan(2)
      const clerk = (await srv.storage.findUserByUsername('township'))!
      const me = actor(clerk.id, 'township', '340826106')
      const today = { ...clock, today: rec!.routing!.submittedOn!, now: Date.now() }
      expect((await listQueue(srv.storage, me, { state: 'submitted' }, today)).rows.map((r) => r.id)).toContain(caseId)

      await dev.engine.sync()
      await dev.store.queueCommand(caseId, { type: 'accept' })
      await dev.engine.sync()
      const accepted = await srv.storage.getCase(caseId)
      expect(accepted?.routing).toMatchObject({ dueKind: 'decision', due: accepted!.state.clock!.deadline, acceptedOn: accepted!.state.clock!.acceptedOn })

      const masked = await getCaseView(srv.storage, me, rec!.number, {}, today)
      expect(masked.case.revealed).toBe(false)
      expect(masked.case.maskedFields).toContain('applicant_id')
      expect(String(masked.case.form.applicant_id)).toContain('********')
      expect(masked.case.events.map((e) => e.type)).toEqual(['submit', 'accept'])
      expect(await srv.storage.auditOf(caseId)).not.toContainEqual(expect.objectContaining({ action: 'reveal' }))
      await expect(getCaseView(srv.storage, me, caseId, { reveal: true }, today)).rejects.toMatchObject({ code: 'bad_request' })

      const shown = await getCaseView(srv.storage, me, caseId, { reveal: true, reason: '核对身份\u0007信息' }, today)
      expect(shown.case.revealed).toBe(true)
      expect(String(shown.case.form.applicant_id)).not.toContain('*')
      const reveals = (await srv.storage.auditOf(caseId)).filter((a) => a.action === 'reveal')
      expect(reveals).toHaveLength(1)
      expect(reveals[0]).toMatchObject({ userId: clerk.id, detail: { fields: expect.arrayContaining(['applicant_id']), reason: '核对身份 信息' } })

      // The demo department windows: 民政 sees the 临时救助 case, 卫健 does not, the county none before forwarding.
      const window = async (username: string) => {
        const u = (await srv.storage.findUserByUsername(username))!
        return actor(u.id, u.role, u.scope, u.department ?? undefined)
      }
      expect((await listQueue(srv.storage, await window('township-mz'), {}, today)).rows.map((r) => r.id)).toEqual([caseId])
      expect((await listQueue(srv.storage, await window('township-wj'), {}, today)).rows).toEqual([])
      await expect(getCaseView(srv.storage, await window('township-wj'), caseId, {}, today)).rejects.toMatchObject({ code: 'not_found' })
      expect((await window('county-sf')).department).toBe('justice')
    })

    it('gives a staff device the open cases of its scope and those closed in the last 30 days, a department window only its own', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const clerk = await newDevice(srv.url, 'township')
      const [recent, old, open, health] = [
        await takeInCase(agent, itemNamed(agent, '临时救助'), 31),
        await takeInCase(agent, itemNamed(agent, '临时救助'), 32),
        await takeInCase(agent, itemNamed(agent, '临时救助'), 33),
        await takeInCase(agent, itemNamed(agent, '生育登记'), 34),
      ]
      await agent.engine.sync()
      await clerk.engine.sync()
      for (const id of [recent, old]) {
        await clerk.store.queueCommand(id, { type: 'accept' })
        await clerk.store.queueCommand(id, { type: 'complete', decision: 'approved' })
      }
      await clerk.engine.sync()
      // As if `old` had been decided 40 days ago.
      const db = (srv.storage as unknown as { db: import('kysely').Kysely<import('../../sync-server/storage/schema').Database> }).db
      const { addDays, todayInChina } = await import('../../src/core')
      await db.updateTable('cases').set({ closed_on: addDays(todayInChina(), -40) }).where('id', '=', old).execute()

      const fresh = await newDevice(srv.url, 'township')
      await fresh.engine.sync()
      expect(await fresh.db.cases.get(recent)).toMatchObject({ status: 'completed' })
      expect(await fresh.db.cases.get(open)).toMatchObject({ status: 'submitted' })
      expect(await fresh.db.cases.get(old)).toBeUndefined()
      const me = (await srv.storage.findUserByUsername('township'))!
      const page = await getCaseView(srv.storage, actor(me.id, 'township', '340826106'), old, {}, { ...clock, today: todayInChina(), now: Date.now() })
      expect(page.case.status).toBe('completed')

      const window = await newDevice(srv.url, 'township-wj')
      await window.engine.sync()
      expect(await window.db.cases.get(health)).toMatchObject({ status: 'submitted' })
      expect(await window.db.cases.get(open)).toBeUndefined()
    })
  })
}
