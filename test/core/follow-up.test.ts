import { describe, expect, it } from 'vitest'
import { addWorkingDays, apply, countedRating, followUpFor, isFollowUpOpen, type Command, type WorkflowState } from '../../src/core'
import { actors, rules, statesByStatus } from '../helpers/workflow'

const at = (day: string) => `${day}T04:00:00.000Z`
const rate = (rating: 1 | 2 | 3 | 4 | 5, day = '2026-03-10'): Command => ({ type: 'rate', at: at(day), rating, comment: '等了很久' })

function applied(s: WorkflowState, c: Command, who: keyof typeof actors, followUpDays?: number): WorkflowState {
  const r = apply(s, c, actors[who], followUpDays === undefined ? {} : { followUpDays })
  if (!r.ok) throw new Error(`${c.type}: ${r.code} ${r.message}`)
  return r.state
}

describe('follow-up', () => {
  const delivered = statesByStatus(rules({ level: 'township' })).delivered!

  it('opens a follow-up for 不满意 and 非常不满意 only, due 5 working days after the rating by default', () => {
    for (const rating of [3, 4, 5] as const) expect(applied(delivered, rate(rating), 'agent').followUp).toBeNull()
    // 2026-09-30 (Wed) + 5 working days crosses National Day: 10-01…10-08 off, 10-10 (Sat) a make-up day.
    const bad = applied(delivered, rate(2, '2026-09-30'), 'agent')
    expect(bad.followUp).toEqual({ opened: '2026-09-30', due: addWorkingDays('2026-09-30', 5).date, estimated: false, answer: null, closedOn: null, closedBy: null })
    expect(bad.followUp!.due).toBe('2026-10-13')
  })

  it('takes the follow-up period from the server setting', () => {
    expect(applied(delivered, rate(1, '2026-03-02'), 'agent', 10).followUp!.due).toBe('2026-03-16')
    expect(followUpFor(1, '2026-03-02', 3)!.due).toBe('2026-03-05')
  })

  it('closes the follow-up when the township answers, and only an open one', () => {
    const bad = applied(delivered, rate(1), 'agent')
    const answered = applied(bad, { type: 'answerFollowUp', at: at('2026-03-11'), answer: '已核实整改并回复' }, 'township')
    expect(answered.followUp).toMatchObject({ answer: '已核实整改并回复', closedOn: '2026-03-11', closedBy: 'answer' })
    expect(isFollowUpOpen(answered)).toBe(false)
    expect(apply(answered, { type: 'answerFollowUp', at: at('2026-03-12'), answer: '再答' }, actors.township)).toMatchObject({ ok: false, code: 'no_follow_up' })
  })

  it('lets an administrator void a rating with a reason: it stops counting and its follow-up closes', () => {
    const bad = applied(delivered, rate(1), 'agent')
    expect(countedRating(bad)).toBe(1)
    const voided = applied(bad, { type: 'voidRating', at: at('2026-03-12'), reason: '恶意差评，经核实作废' }, 'admin')
    expect(voided.rating).toMatchObject({ rating: 1, voided: { reason: '恶意差评，经核实作废', on: '2026-03-12' } })
    expect(countedRating(voided)).toBeNull()
    expect(voided.followUp).toMatchObject({ closedOn: '2026-03-12', closedBy: 'void', answer: null })
    expect(apply(voided, { type: 'voidRating', at: at('2026-03-13'), reason: '再次' }, actors.admin)).toMatchObject({ ok: false, code: 'not_rated' })
    for (const who of ['agent', 'township', 'county'] as const)
      expect(apply(bad, { type: 'voidRating', at: at('2026-03-12'), reason: 'x' }, actors[who])).toMatchObject({ ok: false, code: 'forbidden_role' })
    expect(apply(bad, { type: 'voidRating', at: at('2026-03-12'), reason: 'x' }, actors.otherAdmin)).toMatchObject({ ok: false, code: 'out_of_scope' })
  })
})
