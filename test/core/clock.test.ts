import { describe, expect, it } from 'vitest'
import { createCalendar, daysLeft, isOverdue, recountClock } from '../../src/core'
import { actors, draft, rules, run } from '../helpers/workflow'

const { agent, township, county } = actors

describe('clock', () => {
  it('starts the day after acceptance and counts working days only', () => {
    const s = run(draft(rules({ limitDays: 10 })), [
      ['submit', agent, '2026-02-10'],
      ['accept', township, '2026-02-12'],
    ])
    expect(s.clock).toEqual({ acceptedOn: '2026-02-12', deadline: '2026-03-04', estimated: false, pausedOn: null, remainingAtPause: null })
    expect(daysLeft(s.clock!, '2026-02-12')).toBe(10)
    expect(isOverdue(s.clock!, '2026-03-04')).toBe(false)
    expect(isOverdue(s.clock!, '2026-03-05')).toBe(true)
  })

  it('pauses during a correction after acceptance and resumes with the days that were left', () => {
    const s = run(draft(rules({ limitDays: 10, correctionClock: 'pause' })), [
      ['submit', agent, '2026-03-02'],
      ['accept', township, '2026-03-02'], // deadline 2026-03-16
      ['return', township, '2026-03-05'], // 3 days used, 7 left
    ])
    expect(s.clock).toMatchObject({ deadline: '2026-03-16', pausedOn: '2026-03-05', remainingAtPause: 7 })
    expect(daysLeft(s.clock!, '2026-03-06')).toBeNull()
    const resumed = run(s, [['submit', agent, '2026-03-12']])
    expect(resumed.clock).toMatchObject({ deadline: '2026-03-23', pausedOn: null }) // 12 Mar + 7 working days
  })

  it('restarts the full limit after a correction when the item says so', () => {
    const s = run(draft(rules({ limitDays: 10, correctionClock: 'restart' })), [
      ['submit', agent, '2026-03-02'],
      ['accept', township, '2026-03-02'],
      ['return', township, '2026-03-05'],
      ['submit', agent, '2026-03-12'],
    ])
    expect(s.clock?.deadline).toBe('2026-03-26') // 12 Mar + 10 working days
  })

  it('stops the clock for a special procedure at the county and adds the paused days', () => {
    const s = run(draft(rules({ limitDays: 20 })), [
      ['submit', agent, '2026-03-02'],
      ['accept', township, '2026-03-02'], // deadline 2026-03-30
      ['forward', township, '2026-03-03'],
      ['suspend', county, '2026-03-09'], // 5 used, 15 left
      ['resume', county, '2026-03-16'],
    ])
    expect(s.clock).toMatchObject({ deadline: '2026-04-07', pausedOn: null }) // 16 Mar + 15, skipping 清明 4–6 Apr
  })

  it('marks a deadline computed into a year without official data as estimated', () => {
    const s = run(draft(rules({ limitDays: 20 })), [
      ['submit', agent, '2026-12-14'],
      ['accept', township, '2026-12-14'],
    ])
    expect(s.clock?.estimated).toBe(true)
  })

  it('counts an estimated deadline again on a calendar with official data for its year, and leaves others alone', () => {
    const before = createCalendar()
    const after = createCalendar([{ year: 2030, holidays: ['2030-10-01', '2030-10-02', '2030-10-03'], workdays: ['2030-10-12'] }])
    const estimated = { acceptedOn: '2030-09-24', deadline: before.addWorkingDays('2030-09-24', 10).date, estimated: true, pausedOn: null, remainingAtPause: null }
    expect(estimated.deadline).toBe('2030-10-08')
    expect(recountClock(estimated, before, after)).toEqual({ ...estimated, deadline: after.addWorkingDays('2030-09-24', 10).date, estimated: false })
    expect(recountClock(estimated, before, after).deadline).toBe('2030-10-11')
    const official = { ...estimated, estimated: false }
    expect(recountClock(official, before, after)).toBe(official)
    const paused = { ...estimated, pausedOn: '2030-09-26', remainingAtPause: 8 }
    expect(recountClock(paused, before, after)).toBe(paused)
  })
})
