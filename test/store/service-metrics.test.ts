import { describe, expect, it } from 'vitest'
import { metricsCsv, serviceMetrics } from '../../src/store/service-metrics'
import { queueRow } from '../helpers/queue-rows'

// Four cases around March 2026, figures worked out by hand below.
const r1 = queueRow({ status: 'delivered' }, { submittedAt: '2026-03-02T01:00:00Z', acceptedOn: '2026-03-02', completedOn: '2026-03-05', onTime: true, kind: 'instant', trips: 0, rating: 5, ratedAt: '2026-03-06T01:00:00Z' })
const r2 = queueRow({ status: 'delivered', village: '340826106291' }, { submittedAt: '2026-03-03T01:00:00Z', acceptedOn: '2026-03-04', completedOn: '2026-03-20', onTime: false, trips: 2, rating: 2, ratingComment: '太慢', ratedAt: '2026-03-23T01:00:00Z', returns: 1 })
const r3 = queueRow({ status: 'submitted' }, { submittedAt: '2026-03-10T01:00:00Z' })
const r4 = queueRow({ status: 'completed' }, { submittedAt: '2026-02-20T01:00:00Z', acceptedOn: '2026-03-02', completedOn: '2026-03-03', onTime: true, rating: 4 })
const names: Record<string, string> = { '340826106001': '破凉社区', '340826106291': '示范一村' }
const m = serviceMetrics([r1, r2, r3, r4], { from: '2026-03-01', to: '2026-03-31', groupBy: 'village', label: (k) => names[k] ?? k })

describe('service-metrics', () => {
  it('computes the article figures over the period', () => {
    expect(m.total).toMatchObject({ takenIn: 3, accepted: 3, completed: 3, ratings: { veryGood: 1, good: 1, fair: 0, bad: 1, veryBad: 0 } })
    expect(m.total.onTimeRate).toBeCloseTo(2 / 3)
    expect(m.total.onTheSpotRate).toBeCloseTo(1 / 3) // instant items among those taken in, as on the server
    expect(m.total.averageWorkingDays).toBeCloseTo((3 + 12 + 1) / 3) // 2→5 March: 3; 4→20 March: 12; 2→3 March: 1
    expect(m.total.returnRate).toBeCloseTo(1 / 3)
    expect(m.total.averageTrips).toBe(1)
    expect(m.total.zeroTripShare).toBe(0.5)
    expect(m.total.satisfactionRate).toBeCloseTo(2 / 3)
    expect(m.total.meetsTargets).toEqual({ onTime: false, onTheSpot: false, satisfaction: false })
  })

  it('splits the figures per village', () => {
    expect(m.groups.map((g) => [g.label, g.takenIn, g.completed, g.onTimeRate])).toEqual([
      ['破凉社区', 2, 2, 1],
      ['示范一村', 1, 1, 0],
    ])
  })

  it('gives weekly intake and on-time rate from the Monday before the period', () => {
    expect(m.weeks.map((w) => [w.week, w.takenIn, w.onTimeRate])).toEqual([
      ['2026-02-23', 0, null],
      ['2026-03-02', 2, 1],
      ['2026-03-09', 1, null],
      ['2026-03-16', 0, 0],
      ['2026-03-23', 0, null],
      ['2026-03-30', 0, null],
    ])
  })

  it('opens a follow-up for a bad rating, due 5 working days later, until the township answers', () => {
    expect(m.followUps).toEqual([{ caseId: r2.id, number: r2.number, itemName: r2.itemName, village: r2.village, rating: 2, comment: '太慢', ratedAt: '2026-03-23T01:00:00Z', due: '2026-03-30', estimated: false }])
    const answered = { ...r2, queue: { ...r2.queue!, followUp: '已整改' } }
    expect(serviceMetrics([answered], { from: '2026-03-01', to: '2026-03-31', groupBy: 'village', label: (k) => k }).followUps).toEqual([])
  })

  it('exports CSV with a byte-order mark so spreadsheet programs read the Chinese', () => {
    const csv = metricsCsv(m, ['单位', 'a'])
    expect(csv.startsWith('\uFEFF单位,a\r\n')).toBe(true)
    expect(csv.split('\r\n')[2]).toMatch(/^破凉社区,2,2,2,100\.0,50\.0,2\.0,0\.0,0\.00,100\.0,1,1,0,0,0,100\.0$/)
  })
})
