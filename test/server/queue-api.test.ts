import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseRecord } from '../../sync-server/storage'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { buildCase, insertCases, itemByName } from '../helpers/queue-data'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const relief = itemByName('临时救助')

for (const storage of storages) {
  describe(`queue api (${storage})`, () => {
    let srv: TestServer
    let tokens: Record<string, string>
    let huating: CaseRecord[]
    let liangting: CaseRecord
    const get = async (path: string, who: string) => {
      const res = await srv.api(path, { token: tokens[who]! })
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()) }
    }
    const json = async (path: string, who: string) => {
      const r = await get(path, who)
      return { status: r.status, body: JSON.parse(r.text) }
    }

    beforeAll(async () => {
      srv = await startTestServer(storage)
      huating = Array.from({ length: 5 }, (_, i) =>
        buildCase({ id: `api-h${i}`, village: '340826106001', item: relief, name: '张三', created: '2026-11-30', steps: [['submit', 'agent', `2026-12-0${1 + (i % 2)}`]] }),
      )
      liangting = buildCase({ id: 'api-l1', village: '340826107291', item: relief, name: '张三', created: '2026-11-30', steps: [['submit', 'agent', '2026-12-01']] })
      await insertCases(srv.storage, [...huating, liangting])
      tokens = {}
      for (const u of ['township', 'township2', 'county', 'agent', 'township-wj']) tokens[u] = await srv.login(u)
    })
    afterAll(async () => srv?.stop())

    it('answers 401 without a token on every queue endpoint', async () => {
      for (const path of ['/api/queue', '/api/queue.csv', '/api/batches', '/api/cases/api-h0', '/api/metrics/service?from=2026-01-01&to=2026-12-31', '/api/metrics/service.csv?from=2026-01-01&to=2026-12-31']) {
        const res = await srv.api(path)
        expect(res.status, path).toBe(401)
        expect((await res.json()).ok).toBe(false)
      }
    })

    it('never shows 凉亭镇 staff a 华亭镇 case through the queue, search, case page, batches or a CSV export', async () => {
      const own = await json('/api/queue?state=all', 'township2')
      expect(own.body.rows.map((r: { id: string }) => r.id)).toEqual(['api-l1'])
      expect((await json('/api/queue?q=%E5%BC%A0', 'township2')).body.rows.map((r: { id: string }) => r.id)).toEqual(['api-l1'])
      expect((await json('/api/queue?village=340826106001', 'township2')).body.rows).toEqual([])
      for (const ref of [huating[0]!.id, huating[0]!.number]) expect((await json(`/api/cases/${ref}`, 'township2')).status).toBe(404)
      expect((await json('/api/batches?village=340826106001', 'township2')).status).toBe(403)
      const csv = await get('/api/queue.csv?state=all', 'township2')
      expect(csv.status).toBe(200)
      expect(csv.type).toBe('text/csv; charset=utf-8')
      expect(csv.text.charCodeAt(0)).toBe(0xfeff)
      expect(csv.text).toContain(liangting.number)
      for (const c of huating) expect(csv.text).not.toContain(c.number)
      const m = await get('/api/metrics/service.csv?from=2026-11-01&to=2026-12-31&by=village', 'township2')
      expect(m.text).not.toContain('340826106001')
      expect(m.text).toContain('340826107291')
      // And the other way round: 华亭镇 sees its own five, and the case page of one of them.
      expect((await json('/api/queue', 'township')).body.rows).toHaveLength(5)
      expect((await json(`/api/cases/${huating[0]!.number}`, 'township')).body.case.id).toBe('api-h0')
    })

    it('pages over HTTP with the opaque cursor', async () => {
      const seen: string[] = []
      let next: string | null = null
      do {
        const page: { body: { rows: { id: string }[]; next: string | null } } = await json(`/api/queue?limit=2${next ? `&cursor=${next}` : ''}`, 'township')
        seen.push(...page.body.rows.map((r) => r.id))
        next = page.body.next
      } while (next)
      expect(seen.sort()).toEqual(huating.map((c) => c.id).sort())
      expect(new Set(seen).size).toBe(5)
    })

    it('refuses bad parameters with 400 naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/queue?limit=999', 'query.limit'],
        ['/api/queue?limit=abc', 'query.limit'],
        ['/api/queue?state=lost', 'query.state'],
        ['/api/queue?department=police', 'query.department'],
        ['/api/queue?nonsense=1', 'query.nonsense'],
        ['/api/queue?cursor=eyJ4IjoxfQ', 'query.cursor'],
        ['/api/queue?q=' + 'x'.repeat(41), 'query.q'],
        ['/api/queue?limit=1&limit=2', 'query.limit'],
        ['/api/metrics/service?from=2026-01-01', 'query.to'],
        ['/api/metrics/service?from=2026-02-01&to=2026-01-01', 'query.to'],
        ['/api/cases/api-h0?reveal=true', 'query.reason'],
        ['/api/cases/a%20b', 'params.ref'],
      ]
      for (const [path, field] of cases) {
        const r = await json(path, 'township')
        expect(r.status, path).toBe(400)
        expect(r.body.error.message, path).toContain(field)
      }
      expect((await json('/api/queue?view=supervision', 'township')).status).toBe(403)
      expect((await json('/api/metrics/service?from=2026-01-01&to=2026-12-31', 'agent')).status).toBe(403)
    })

    it('shows a case masked and reveals it only with a reason, writing the reveal to the audit trail', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 5)
      await agent.engine.sync()
      const masked = await json(`/api/cases/${caseId}`, 'township')
      expect(masked.status).toBe(200)
      expect(masked.body.case.form.applicant_id).toMatch(/^\d{6}\*+\w{4}$/)
      expect(masked.body.case.maskedFields).toContain('applicant_id')
      expect((await srv.storage.auditOf(caseId)).filter((a) => a.action === 'reveal')).toHaveLength(0)
      const shown = await json(`/api/cases/${caseId}?reveal=true&reason=${encodeURIComponent('核对低保资格')}`, 'township')
      expect(shown.body.case.revealed).toBe(true)
      expect(shown.body.case.form.applicant_id).not.toContain('*')
      const audit = (await srv.storage.auditOf(caseId)).filter((a) => a.action === 'reveal')
      expect(audit).toHaveLength(1)
      expect(audit[0]!.detail).toMatchObject({ reason: '核对低保资格' })
      // A department window of another department cannot open it at all.
      expect((await json(`/api/cases/${caseId}`, 'township-wj')).status).toBe(404)
    })
  })
}
