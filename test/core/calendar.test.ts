import { afterEach, describe, expect, it } from 'vitest'
import {
  addWorkingDays,
  createCalendar,
  hasOfficialData,
  isWorkingDay,
  loadArrangements,
  resetArrangements,
  validateArrangement,
  workingDaysBetween,
} from '../../src/core'

afterEach(() => resetArrangements())

describe('calendar', () => {
  it('knows the 2026 Spring Festival holidays and both make-up Saturdays', () => {
    for (let d = 15; d <= 23; d++) expect(isWorkingDay(`2026-02-${d}`)).toBe(false)
    expect(isWorkingDay('2026-02-14')).toBe(true) // Saturday, make-up working day
    expect(isWorkingDay('2026-02-28')).toBe(true) // Saturday, make-up working day
    expect(isWorkingDay('2026-02-21')).toBe(false)
    expect(isWorkingDay('2026-02-24')).toBe(true)
  })

  it('counts 10 working days from 2026-02-12 to 2026-03-04 across the Spring Festival', () => {
    expect(addWorkingDays('2026-02-12', 10)).toEqual({ date: '2026-03-04', estimated: false })
  })

  it('starts counting on the next working day', () => {
    expect(addWorkingDays('2026-02-13', 1)).toEqual({ date: '2026-02-14', estimated: false }) // Friday → make-up Saturday
    expect(addWorkingDays('2026-11-27', 1).date).toBe('2026-11-30') // Friday → Monday
    expect(addWorkingDays('2026-11-27', 0).date).toBe('2026-11-27')
  })

  it('skips National Day and counts its make-up Saturday', () => {
    // 2026: 1–7 October off, Saturday 10 October is a working day.
    expect(addWorkingDays('2026-09-30', 1).date).toBe('2026-10-08')
    expect(addWorkingDays('2026-09-30', 3).date).toBe('2026-10-10')
    expect(addWorkingDays('2026-09-28', 20)).toEqual({ date: '2026-10-30', estimated: false })
  })

  it('measures working days between two days consistently with addWorkingDays', () => {
    expect(workingDaysBetween('2026-02-12', '2026-03-04')).toBe(10)
    expect(workingDaysBetween('2026-03-04', '2026-02-12')).toBe(-10)
    expect(workingDaysBetween('2026-05-06', '2026-05-06')).toBe(0)
    for (const [from, n] of [['2026-01-05', 7], ['2026-09-21', 15], ['2026-12-01', 3]] as const)
      expect(workingDaysBetween(from, addWorkingDays(from, n).date)).toBe(n)
  })

  it('marks a deadline that crosses into a year without official data as estimated', () => {
    expect(hasOfficialData(2026)).toBe(true)
    expect(hasOfficialData(2027)).toBe(false)
    const r = addWorkingDays('2026-12-20', 20)
    expect(r.estimated).toBe(true)
    expect(addWorkingDays('2026-12-01', 10).estimated).toBe(false)
  })

  it('lets a loaded official arrangement win over the bundled data and clear the estimate', () => {
    const before = addWorkingDays('2026-12-28', 5)
    expect(before).toEqual({ date: '2027-01-04', estimated: true })
    loadArrangements([{ year: 2027, holidays: ['2027-01-01', '2027-01-04'], workdays: ['2027-01-02'], source: 'test arrangement' }])
    expect(hasOfficialData(2027)).toBe(true)
    // 29, 30, 31 Dec, then 1 Jan off, 2 Jan (Saturday) working, 3 Jan Sunday, 4 Jan off, 5 Jan.
    expect(addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-05', estimated: false })
    // And a loaded arrangement replaces a bundled year wholesale.
    loadArrangements([{ year: 2026, holidays: [], workdays: [] }])
    expect(isWorkingDay('2026-02-16')).toBe(true)
    expect(isWorkingDay('2026-02-14')).toBe(false)
  })

  it('reports every problem of an arrangement file', () => {
    expect(validateArrangement({ year: 2027, holidays: ['2027-02-30', '2026-12-31'], workdays: ['2027-01-06'] })).toEqual([
      'holidays[0]: not a valid day',
      'holidays[1]: 2026-12-31 is not in 2027',
      'workdays[0]: 2027-01-06 is a weekday already',
    ])
    expect(() => createCalendar([{ year: 2027, holidays: ['x'], workdays: [] }])).toThrow(/invalid arrangement/)
  })

  it('rejects malformed days', () => {
    expect(() => isWorkingDay('2026-2-3')).toThrow(RangeError)
    expect(() => addWorkingDays('2026-02-12', -1)).toThrow(RangeError)
  })
})
