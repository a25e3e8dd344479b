// 好差评 in the server's figures: trips recorded at delivery, a voided rating counted nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor, DivisionCode, UserId } from '../../src/core'
import { serviceMetrics } from '../../sync-server/queue/metrics-service'
import { hasPostgres } from '../helpers/pg'
import { buildCase, insertCases, itemByName } from '../helpers/queue-data'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const POLIANG = '340826106001'
const county: Actor = { userId: 'u-county' as UserId, role: 'county', scope: '340826' as DivisionCode }
const birth = itemByName('生育登记')

const delivered = (id: string, trips: number | null, after: [string, 'agent' | 'admin', string, Record<string, unknown>][] = []) =>
  buildCase({
    id, village: POLIANG, item: birth, name: '周八', created: '2026-02-09',
    steps: [['submit', 'agent', '2026-02-09'], ['accept', 'township', '2026-02-09'], ['complete', 'township', '2026-02-09'], ['deliver', 'agent', '2026-02-10', trips === null ? { trips: undefined } : { trips }], ...after] as never,
  })

for (const storage of storages) {
  describe(`queue ratings (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
      await insertCases(srv.storage, [
        delivered('r1', 0, [['rate', 'agent', '2026-02-10', { rating: 5 }]]),
        delivered('r2', 3, [['rate', 'agent', '2026-02-10', { rating: 1 }], ['voidRating', 'admin', '2026-02-11', { reason: '恶意差评' }]]),
        delivered('r3', 2, [['rate', 'agent', '2026-02-10', { rating: 2 }]]),
        delivered('r4', null), // delivered before trips were recorded: no trips known
      ])
    })
    afterAll(async () => srv?.stop())

    it('averages the trips recorded at delivery and counts the zero-trip share over cases with trips known', async () => {
      const m = await serviceMetrics(srv.storage, county, { from: '2026-02-01', to: '2026-02-28', by: 'township' })
      // (0 + 3 + 2) / 3; one of three had none.
      expect(m.total).toMatchObject({ completed: 4, averageTrips: 1.67, zeroTripShare: 0.3333 })
    })

    it('leaves a voided rating out of the distribution and the satisfaction rate', async () => {
      const m = await serviceMetrics(srv.storage, county, { from: '2026-02-01', to: '2026-02-28', by: 'township' })
      expect(m.total.ratings).toEqual({ veryGood: 1, good: 0, fair: 0, bad: 1, veryBad: 0 })
      expect(m.total.satisfactionRate).toBe(0.5)
      expect((await srv.storage.getCase('r2'))?.state.rating?.voided).toEqual({ reason: '恶意差评', on: '2026-02-11' })
    })
  })
}
