// Loading a year's official arrangement counts the deadlines estimated for that year again: the
// cases table (queues) and the case document (what devices show) get the new day, unmarked.
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkingDays, createCalendar, readWorkflow, resetArrangements, type Actor, type DivisionCode, type UserId, type YearArrangement } from '../../src/core'
import { listQueue } from '../../sync-server/queue/queue-service'
import { hasPostgres } from '../helpers/pg'
import { buildCase, insertCases, itemByName } from '../helpers/queue-data'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const POLIANG = '340826106001'
const township: Actor = { userId: 'u-township' as UserId, role: 'township', scope: '340826106' as DivisionCode }
const relief = itemByName('临时救助') // township level, promised limit in working days

// 2030 is not in the bundled data: National Day as the State Council might set it.
const Y2030: YearArrangement = { year: 2030, holidays: ['2030-10-01', '2030-10-02', '2030-10-03', '2030-10-04', '2030-10-07'], workdays: ['2030-09-29', '2030-10-12'] }

for (const storage of storages) {
  describe(`calendar recount (${storage})`, () => {
    let srv: TestServer
    let admin: string
    beforeAll(async () => {
      resetArrangements()
      srv = await startTestServer(storage)
      admin = await srv.login('admin')
      await insertCases(srv.storage, [
        buildCase({ id: 'c-accepted', village: POLIANG, item: relief, name: '张三', created: '2030-09-20', steps: [['submit', 'agent', '2030-09-20'], ['accept', 'township', '2030-09-20']] }),
        buildCase({ id: 'c-submitted', village: POLIANG, item: relief, name: '李四', created: '2030-09-27', steps: [['submit', 'agent', '2030-09-27']] }),
        buildCase({ id: 'c-2026', village: POLIANG, item: relief, name: '王五', created: '2026-03-02', steps: [['submit', 'agent', '2026-03-02'], ['accept', 'township', '2026-03-02']] }),
      ])
    })
    afterAll(async () => {
      await srv?.stop()
      resetArrangements()
    })

    it('marks a deadline in a year without official data estimated, then counts it again when that year is loaded', async () => {
      const before = (await srv.storage.getCase('c-accepted'))!
      const oldDeadline = addWorkingDays('2030-09-20', relief.promisedLimitDays)
      expect(oldDeadline.estimated).toBe(true)
      expect(before.state.clock).toMatchObject({ deadline: oldDeadline.date, estimated: true })
      expect(before.routing).toMatchObject({ due: oldDeadline.date, dueEstimated: true })
      const untouched = (await srv.storage.getCase('c-2026'))!

      const res = await srv.api('/api/admin/calendar/2030', { method: 'PUT', token: admin, json: Y2030 })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ ok: true, year: 2030, recounted: 2 })

      const expected = createCalendar([Y2030]).addWorkingDays('2030-09-20', relief.promisedLimitDays)
      expect(expected).toMatchObject({ estimated: false })
      expect(expected.date).not.toBe(oldDeadline.date) // the holidays moved it
      const after = (await srv.storage.getCase('c-accepted'))!
      expect(after.state.clock).toMatchObject({ deadline: expected.date, estimated: false, acceptedOn: '2030-09-20' })
      expect(after).toMatchObject({ deadline: expected.date, routing: { due: expected.date, dueEstimated: false } })
      // The acceptance notice of a submitted case is counted on the new calendar as well.
      const notice = createCalendar([Y2030]).addWorkingDays('2030-09-27', 5)
      expect((await srv.storage.getCase('c-submitted'))!.routing).toMatchObject({ due: notice.date, dueEstimated: false })
      // A case on official data is left alone.
      expect(await srv.storage.getCase('c-2026')).toEqual(untouched)
    })

    it('writes the new clock into the case document, so devices show it on their next sync', async () => {
      const doc = new Y.Doc()
      for (const e of await srv.storage.caseLog('c-accepted')) Y.applyUpdate(doc, e.data)
      const expected = createCalendar([Y2030]).addWorkingDays('2030-09-20', relief.promisedLimitDays).date
      expect(readWorkflow(doc).state?.clock).toMatchObject({ deadline: expected, estimated: false })
      const rows = (await listQueue(srv.storage, township, { q: '张' } as never, { today: '2030-09-25', now: Date.parse('2030-09-25T04:00:00Z'), dueSoonDays: 3 })).rows
      expect(rows.find((r) => r.id === 'c-accepted')).toMatchObject({ due: expected, estimated: false })
    })
  })
}
