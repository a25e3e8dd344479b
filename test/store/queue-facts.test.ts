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
})
