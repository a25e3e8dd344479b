import { describe, expect, it } from 'vitest'
import { emptyQueueQuery, incomingBatches, queryQueue, timeLeft } from '../../src/store/queue'
import { queueRow } from '../helpers/queue-rows'

// 2026 Spring Festival: 15–23 February off; Saturday 14 and Saturday 28 February are working days.
describe('queue', () => {
  it('counts the acceptance clock in working days from receipt, flagged from the 3rd and late after the 5th', () => {
    const row = queueRow({ status: 'submitted' }, { submittedAt: '2026-02-12T02:00:00Z' })
    expect(timeLeft(row, '2026-02-13')).toMatchObject({ tone: 'ok', days: 4, due: '2026-02-26', clock: 'acceptance' })
    expect(timeLeft(row, '2026-02-24')).toMatchObject({ tone: 'soon', days: 2 }) // 13, 14 (make-up Saturday), 24
    expect(timeLeft(row, '2026-02-27')).toMatchObject({ tone: 'overdue', days: -1 })
  })

  it('colours the decision deadline: on track, due within 3 working days, overdue; a paused clock has no colour', () => {
    const row = queueRow({ status: 'accepted', deadline: '2026-02-24' }, { deadlineEstimated: true })
    expect(timeLeft(row, '2026-02-10')).toMatchObject({ tone: 'ok', days: 5, estimated: true, clock: 'decision' })
    expect(timeLeft(row, '2026-02-13')).toMatchObject({ tone: 'soon', days: 2 })
    expect(timeLeft(row, '2026-02-25')).toMatchObject({ tone: 'overdue', days: -1 })
    expect(timeLeft(queueRow({ status: 'accepted', deadline: '2026-02-24' }, { paused: true }), '2026-02-25')).toMatchObject({ tone: 'none', clock: 'paused' })
  })

  it('filters by state, department, village, item, holder, due and text, and sorts by deadline', () => {
    const now = new Date('2026-02-25T02:00:00Z')
    const late = queueRow({ status: 'accepted', deadline: '2026-02-24', village: '340826106291' })
    const soon = queueRow({ status: 'accepted', deadline: '2026-02-26', item: 'DEMO-2' }, { department: 'health', holder: { userId: 'u-me', name: '我', until: '2026-02-25T03:00:00Z' } })
    const fresh = queueRow({ status: 'submitted' }, { submittedAt: '2026-02-25T01:00:00Z', holder: { userId: 'u-other', name: '刘', until: '2026-02-25T01:30:00Z' } })
    const away = queueRow({ status: 'forwarded', deadline: '2026-02-26' })
    const rows = [fresh, away, soon, late]
    const q = (over = {}) => queryQueue(rows, { ...emptyQueueQuery, ...over }, { role: 'township', userId: 'u-me', now }).map((r) => r.id)
    expect(q()).toEqual([late.id, soon.id, fresh.id]) // forwarded is the county's; deadline order
    expect(q({ state: 'forwarded' })).toEqual([away.id])
    expect(q({ department: 'health' })).toEqual([soon.id])
    expect(q({ village: '340826106291' })).toEqual([late.id])
    expect(q({ item: 'DEMO-2' })).toEqual([soon.id])
    expect(q({ assignee: 'me' })).toEqual([soon.id])
    expect(q({ assignee: 'none' })).toEqual([late.id, fresh.id]) // the other clerk's claim has lapsed
    expect(q({ due: 'overdue' })).toEqual([late.id])
    expect(q({ due: 'soon' })).toEqual([soon.id])
    expect(q({ search: '李桂兰' })).toHaveLength(3)
    expect(q({ search: fresh.number.slice(-6) })).toEqual([fresh.id])
    expect(queryQueue(rows, { ...emptyQueueQuery, view: 'supervision' }, { role: 'county', userId: 'c', now }).map((r) => r.id)).toEqual([late.id, soon.id, away.id])
  })

  it('groups what arrived into batches per village device and day, counting the cases still to accept', () => {
    const a = queueRow({ status: 'submitted' }, { submittedAt: '2026-03-02T01:00:00Z' })
    const b = queueRow({ status: 'accepted' }, { submittedAt: '2026-03-02T01:00:01Z' })
    const c = queueRow({ status: 'submitted', village: '340826106291' }, { submittedAt: '2026-03-02T03:00:00Z', device: 'dev-2' })
    const old = queueRow({ status: 'submitted' }, { submittedAt: '2026-02-01T01:00:00Z' })
    const batches = incomingBatches([a, b, c, old], '2026-02-20')
    expect(batches.map((x) => [x.village, x.cases, x.waiting, x.caseIds])).toEqual([
      ['340826106291', 1, 1, [c.id]],
      ['340826106001', 2, 1, [a.id]],
    ])
  })
})
