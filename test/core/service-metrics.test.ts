import { describe, expect, it } from 'vitest'
import { addSums, buildCsv, emptySums, figuresOf, weekOf, weeklySeries, type MetricSums } from '../../src/core'

describe('service-metrics', () => {
  it('turns sums into the article figures beside their targets', () => {
    const s: MetricSums = { ...emptySums(), takenIn: 20, instant: 17, returned: 2, accepted: 18, completed: 10, withDeadline: 10, onTime: 9, workDays: 45, tripsKnown: 8, trips: 2, zeroTrips: 6, ratings: [0, 1, 1, 3, 5] }
    const f = figuresOf(s)
    expect(f).toMatchObject({ takenIn: 20, accepted: 18, completed: 10, onTimeRate: 0.9, onTheSpotRate: 0.85, averageWorkingDays: 4.5, returnRate: 0.1, averageTrips: 0.25, zeroTripShare: 0.75, satisfactionRate: 0.9 })
    expect(f.ratings).toEqual({ veryGood: 5, good: 3, fair: 1, bad: 1, veryBad: 0 })
    expect(f.meetsTargets).toEqual({ onTime: false, onTheSpot: true, satisfaction: false })
  })

  it('gives null rates when there is nothing to divide by', () => {
    const f = figuresOf(emptySums())
    expect([f.onTimeRate, f.onTheSpotRate, f.averageWorkingDays, f.satisfactionRate]).toEqual([null, null, null, null])
    expect(f.meetsTargets.onTime).toBeNull()
  })

  it('adds sums group by group', () => {
    const a = { ...emptySums(), takenIn: 1, ratings: [1, 0, 0, 0, 2] as MetricSums['ratings'] }
    expect(addSums(a, a)).toMatchObject({ takenIn: 2, ratings: [2, 0, 0, 0, 4] })
  })

  it('folds days into Monday weeks, empty weeks included', () => {
    expect(weekOf('2026-03-08')).toBe('2026-03-02') // a Sunday belongs to the week before
    expect(weekOf('2026-03-09')).toBe('2026-03-09')
    const series = weeklySeries(
      [
        { day: '2026-03-02', takenIn: 2, withDeadline: 1, onTime: 1 },
        { day: '2026-03-08', takenIn: 1, withDeadline: 1, onTime: 0 },
        { day: '2026-03-17', takenIn: 4, withDeadline: 0, onTime: 0 },
      ],
      '2026-03-01',
      '2026-03-20',
    )
    expect(series).toEqual([
      { week: '2026-02-23', takenIn: 0, onTimeRate: null },
      { week: '2026-03-02', takenIn: 3, onTimeRate: 0.5 },
      { week: '2026-03-09', takenIn: 0, onTimeRate: null },
      { week: '2026-03-16', takenIn: 4, onTimeRate: null },
    ])
  })
})

describe('csv', () => {
  it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
    const text = buildCsv(['编号', '申请人'], [['A,1', '张"三'], ['=1+1', null], [3.5, '']])
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text.slice(1)).toBe('编号,申请人\r\n"A,1","张""三"\r\n\'=1+1,\r\n3.5,\r\n')
  })
})
