import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { addNote, initCaseDoc, initialWorkflow, writeWorkflow, type VillageCode } from '../../src/core'
import { queueFacts } from '../../src/store/queue-facts'

describe('queueFacts', () => {
  it('still reads trips and follow-up answers recorded as notes before they were fields', async () => {
    const doc = new Y.Doc()
    initCaseDoc(doc, { id: 'legacy', number: 'n', item: 'x', itemVersion: 1, village: '340826106001', createdBy: 'u', createdAt: '2026-01-01T00:00:00.000Z', device: 'd' } as never)
    const state = { ...initialWorkflow('340826106001' as VillageCode, { level: 'township', kind: 'promised', limitDays: 5, correctionClock: 'pause', department: 'health' }), status: 'delivered' as const, delivery: { method: 'agent' as const, on: '2026-01-05' }, rating: { rating: 2 as const, comment: null } }
    writeWorkflow(doc, state, null)
    addNote(doc, { id: 'trips-3-abcdefgh', text: '到现场 3 次', by: 'u', role: 'agent', at: '2026-01-05T00:00:00.000Z' } as never)
    addNote(doc, { id: 'followup-abcdefgh', text: '已回访', by: 'u', role: 'township', at: '2026-01-06T00:00:00.000Z' } as never)
    expect(queueFacts(doc, 'd')).toMatchObject({ trips: 3, followUp: '已回访', rating: 2, followUpDue: null })
  })

  it('reads trips and the follow-up from the workflow, and drops a voided rating from the counted one', () => {
    const doc = new Y.Doc()
    const base = initialWorkflow('340826106001' as VillageCode, { level: 'township', kind: 'promised', limitDays: 5, correctionClock: 'pause', department: 'health' })
    const followUp = { opened: '2026-03-02', due: '2026-03-09', estimated: false, answer: null, closedOn: null, closedBy: null }
    writeWorkflow(doc, { ...base, status: 'delivered', delivery: { method: 'post', on: '2026-03-02', trips: 0 }, rating: { rating: 1, comment: '慢', on: '2026-03-02', voided: null }, followUp }, null)
    expect(queueFacts(doc, 'd')).toMatchObject({ trips: 0, rating: 1, followUpDue: '2026-03-09', ratingVoided: null })
    writeWorkflow(doc, { ...base, status: 'delivered', delivery: { method: 'post', on: '2026-03-02', trips: 0 }, rating: { rating: 1, comment: '慢', on: '2026-03-02', voided: { reason: '误评', on: '2026-03-03' } }, followUp: { ...followUp, closedOn: '2026-03-03', closedBy: 'void' } }, null)
    expect(queueFacts(doc, 'd')).toMatchObject({ trips: 0, rating: null, followUpDue: null, ratingVoided: { rating: 1, reason: '误评' } })
  })
})
