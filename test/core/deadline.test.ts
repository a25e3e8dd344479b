import { describe, expect, it } from 'vitest'
import { acceptanceClock, caseDue, dueSoonUntil, NO_DUE, startClock, subtractWorkingDays, timeLeft } from '../../src/core'
import { actors, draft, rules, run } from '../helpers/workflow'

const { agent, township, county } = actors

describe('deadline', () => {
  it('counts a deadline across the 2026 Spring Festival, make-up Saturdays included', () => {
    // Holiday 15–23 Feb; Saturdays 14 and 28 Feb are working days.
    expect(startClock('promised', 5, '2026-02-13').deadline).toBe('2026-02-27')
    expect(startClock('promised', 10, '2026-02-13').deadline).toBe('2026-03-05')
    expect(startClock('promised', 1, '2026-02-13').deadline).toBe('2026-02-14')
  })

  it('counts a deadline across National Day and Mid-Autumn 2026 with 20 Sep and 10 Oct worked', () => {
    expect(startClock('promised', 5, '2026-09-18').deadline).toBe('2026-09-24')
    expect(startClock('promised', 10, '2026-09-18').deadline).toBe('2026-10-09')
    expect(startClock('promised', 11, '2026-09-18').deadline).toBe('2026-10-10')
  })

  it('restarts or pauses the clock on a correction across the Spring Festival, by item rule', () => {
    const steps = (rule: 'pause' | 'restart') =>
      run(draft(rules({ level: 'township', limitDays: 10, correctionClock: rule })), [
        ['submit', agent, '2026-02-02'],
        ['accept', township, '2026-02-02'], // deadline Sat 14 Feb (a make-up working day)
        ['return', township, '2026-02-05'], // 7 working days left
        ['submit', agent, '2026-02-13'],
      ])
    expect(startClock('promised', 10, '2026-02-02').deadline).toBe('2026-02-14')
    expect(steps('pause').clock?.deadline).toBe('2026-03-02')
    expect(steps('restart').clock?.deadline).toBe('2026-03-05')
  })

  it('does not count a special procedure running over National Day', () => {
    const s = run(draft(rules({ level: 'county', limitDays: 10 })), [
      ['submit', agent, '2026-09-14'],
      ['accept', township, '2026-09-14'], // deadline 28 Sep (20 Sep worked)
      ['forward', township, '2026-09-15'],
      ['suspend', county, '2026-09-21'], // 4 working days left
      ['resume', county, '2026-10-08'],
    ])
    expect(s.clock?.deadline).toBe('2026-10-13')
    expect(caseDue(s, '2026-09-14')).toMatchObject({ due: '2026-10-13', kind: 'decision', paused: false, fromReceipt: false })
  })

  it('flags an undecided submission from its 3rd working day and lapses it after the 5th (art. 32)', () => {
    expect(acceptanceClock('2026-02-13', '2026-02-24')).toMatchObject({ noticeDue: '2026-02-27', workingDay: 2, flagged: false, lapsed: false })
    expect(acceptanceClock('2026-02-13', '2026-02-25')).toMatchObject({ workingDay: 3, flagged: true, lapsed: false })
    expect(acceptanceClock('2026-02-13', '2026-02-27')).toMatchObject({ workingDay: 5, flagged: true, lapsed: false })
    expect(acceptanceClock('2026-02-13', '2026-02-28')).toMatchObject({ workingDay: 6, lapsed: true })
    const submitted = run(draft(rules()), [['submit', agent, '2026-02-13']])
    expect(caseDue(submitted, '2026-02-13')).toMatchObject({ due: '2026-02-27', kind: 'acceptance' })
  })

  it('counts the deadline from receipt when acceptance came after the notice period', () => {
    const s = run(draft(rules({ level: 'township', limitDays: 10 })), [
      ['submit', agent, '2026-09-18'],
      ['accept', township, '2026-10-09'], // notice was due 24 Sep
    ])
    expect(s.clock?.deadline).toBe('2026-10-22')
    expect(caseDue(s, '2026-09-18')).toMatchObject({ due: '2026-10-09', fromReceipt: true })
    expect(caseDue(s, '2026-10-08')).toMatchObject({ due: '2026-10-22', fromReceipt: false })
    expect(subtractWorkingDays('2026-10-22', 10)).toBe('2026-10-09')
  })

  it('marks a deadline reaching past the official calendar data as estimated', () => {
    const s = run(draft(rules({ level: 'township', limitDays: 10 })), [
      ['submit', agent, '2026-12-24'],
      ['accept', township, '2026-12-24'],
    ])
    expect(caseDue(s, '2026-12-24')).toMatchObject({ estimated: true, kind: 'decision' })
    expect(caseDue(run(draft(rules()), [['submit', agent, '2026-12-14']]), '2026-12-14').estimated).toBe(false)
  })

  it('colours time left: on track, due within N working days, overdue, paused', () => {
    expect(dueSoonUntil('2026-02-24')).toBe('2026-02-27')
    expect(timeLeft('2026-02-27', '2026-02-24')).toBe('due_soon')
    expect(timeLeft('2026-02-28', '2026-02-24')).toBe('on_track')
    expect(timeLeft('2026-02-28', '2026-02-24', { dueSoonDays: 4 })).toBe('due_soon')
    expect(timeLeft('2026-02-27', '2026-02-28')).toBe('overdue')
    expect(timeLeft('2026-02-27', '2026-02-24', { paused: true })).toBe('paused')
    expect(timeLeft(NO_DUE, '2026-02-24')).toBe('none')
    expect(timeLeft(null, '2026-02-24')).toBe('none')
  })

  it('has nothing due on a decided case', () => {
    const done = run(draft(rules({ level: 'township' })), [
      ['submit', agent, '2026-03-02'],
      ['accept', township, '2026-03-02'],
      ['complete', township, '2026-03-03'],
    ])
    expect(caseDue(done, '2026-03-02')).toMatchObject({ due: NO_DUE, kind: 'none' })
  })
})
