import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readWorkflow, writeWorkflow, type UserId, type WorkflowEvent } from '../../src/core'
import { statesByStatus } from '../helpers/workflow'

const event = (i: number, text = ''): WorkflowEvent => ({ id: `cmd-${i}`, type: 'accept', at: '2026-03-02T04:00:00.000Z', by: 'u-township' as UserId, role: 'township', status: 'accepted', detail: { reason: text } })

describe('case-doc', () => {
  const state = statesByStatus().accepted!

  it('appends each workflow event instead of rewriting the history', () => {
    const doc = new Y.Doc()
    writeWorkflow(doc, state, event(1, '很长的历史'.repeat(2000)))
    const before = Y.encodeStateVector(doc)
    writeWorkflow(doc, state, event(2))
    const update = Y.encodeStateAsUpdate(doc, before)
    expect(update.byteLength).toBeLessThan(3000) // the new state and one event, not the 20 KB first one again
    expect(readWorkflow(doc).events.map((e) => e.id)).toEqual(['cmd-1', 'cmd-2'])
  })

  it('keeps the history of a case written before events were appended', () => {
    const doc = new Y.Doc()
    doc.getMap('workflow').set('events', [event(1)])
    expect(readWorkflow(doc).events.map((e) => e.id)).toEqual(['cmd-1'])
    writeWorkflow(doc, state, event(2))
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    expect(readWorkflow(copy).events.map((e) => e.id)).toEqual(['cmd-1', 'cmd-2'])
  })
})
