import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CaseId, SyncRequest, SyncResponse, UserId } from '../../src/core'
import { CaseStore } from '../../src/store/case-store'
import { openDb } from '../../src/store/db'
import { SyncEngine } from '../../src/sync/engine'
import { SyncHttpError, type Transport } from '../../src/sync/transport'

describe('engine', () => {
  it('sends a long text typed one character at a time at its final size, not the sum of every keystroke', async () => {
    const db = openDb('keystrokes', { indexedDB: new IDBFactory(), IDBKeyRange })
    const store = new CaseStore(db, { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent', scope: '340826106001' })
    const { caseId } = await store.createCase({ code: 'DEMO-1' as never, version: 1, name: '临时救助' })
    let text = ''
    for (let i = 0; i < 900; i++) {
      text += '家'
      await store.setField(caseId, 'reason', text)
    }
    const stored = (await db.updates.where('caseId').equals(caseId).toArray()).reduce((n, r) => n + (r.update ?? r.x)!.byteLength, 0)
    expect(stored).toBeGreaterThan(1_000_000) // every keystroke kept its own copy of the text

    const sent: SyncRequest[] = []
    const transport: Transport = {
      async sync(req): Promise<SyncResponse> {
        sent.push(req)
        return { header: { v: 1, batchId: req.header.batchId, acks: req.header.updates.map((id) => ({ caseId: id as CaseId, ok: true as const })), commands: [], pulled: [], cursor: 0, more: false, receipt: { cases: [], missingBlobs: [] } }, updates: [] }
      },
      async uploadBlob() {},
    }
    await new SyncEngine(store, transport).sync()
    const bytes = sent[0]!.updates[0]!.byteLength
    expect(bytes).toBeLessThan(4 * 900 + 2000) // about the final text (3 bytes a character) plus metadata
    expect(await db.cases.get(caseId)).toMatchObject({ unsynced: 0 })
  })
})

describe('engine with a refusing server', () => {
  it('splits a request the server refuses outright and sets aside only the case it cannot take', async () => {
    const db = openDb('refusals', { indexedDB: new IDBFactory(), IDBKeyRange })
    const store = new CaseStore(db, { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent', scope: '340826106001' })
    const ids: CaseId[] = []
    for (let i = 0; i < 8; i++) {
      const { caseId } = await store.createCase({ code: 'DEMO-1' as never, version: 1, name: '临时救助' })
      await store.setField(caseId, 'reason', `case ${i}`)
      ids.push(caseId)
    }
    const poison = ids[5]!
    const accepted = new Set<string>()
    let requests = 0
    const transport: Transport = {
      async sync(req): Promise<SyncResponse> {
        requests++
        if (requests > 50) throw new Error('looping')
        if (req.header.updates.includes(poison)) throw new SyncHttpError(413, 'too_large', 'request body exceeds 8388608 bytes')
        for (const id of req.header.updates) accepted.add(id)
        return { header: { v: 1, batchId: req.header.batchId, acks: req.header.updates.map((id) => ({ caseId: id as CaseId, ok: true as const })), commands: [], pulled: [], cursor: 0, more: false, receipt: { cases: [], missingBlobs: [] } }, updates: [] }
      },
      async uploadBlob() {},
    }
    const r = await new SyncEngine(store, transport).sync()
    expect(r.rejected).toBe(1)
    expect([...accepted].sort()).toEqual(ids.filter((id) => id !== poison).sort())
    expect(await db.cases.get(poison)).toMatchObject({ unsynced: 0, problem: 'too_large: request body exceeds 8388608 bytes' })
    expect(await db.updates.where('[caseId+sent]').equals([poison, 2]).count()).toBeGreaterThan(0) // kept, for export
    expect(await new SyncEngine(store, transport).pendingCount()).toBe(0)
  })
})

describe('engine meeting an entry it cannot decode', () => {
  it('sets the entry aside, counts it, shows it on its case and syncs the rest', async () => {
    // Two cases made elsewhere: one arrives whole; the other's first entry is good and its second is
    // a value nested far deeper than a decoder's stack allows, then garbage bytes.
    const made = (id: string, reason: string) => {
      const doc = new Y.Doc({ guid: id })
      doc.getMap('meta').set('id', id)
      doc.getMap('form').set('reason', reason)
      return Y.encodeStateAsUpdate(doc)
    }
    let poisonUpdate: Uint8Array
    const poisonDoc = new Y.Doc({ guid: 'case-poisoned-01' })
    poisonDoc.getMap('workflow').set('events', 'MARKERMARKER')
    poisonUpdate = Y.encodeStateAsUpdate(poisonDoc)
    // Swap the value's encoding (119 = string) for an array nested 200,000 levels (117 = array).
    const marker = [119, 12, ...new TextEncoder().encode('MARKERMARKER')]
    const at = poisonUpdate.findIndex((_, i) => marker.every((b, j) => poisonUpdate[i + j] === b))
    const nested = new Uint8Array(200_000 * 2 + 2).map((_, i) => (i % 2 === 0 ? 117 : i === 400_001 ? 0 : 1))
    poisonUpdate = new Uint8Array([...poisonUpdate.subarray(0, at), ...nested, ...poisonUpdate.subarray(at + marker.length)])
    const pulled: [string, Uint8Array][] = [
      ['case-healthy-001', made('case-healthy-001', '健康')],
      ['case-poisoned-01', made('case-poisoned-01', '先到的')],
      ['case-poisoned-01', poisonUpdate],
      ['case-poisoned-01', new Uint8Array([0, 255, 255, 255, 255, 1, 2, 3])],
    ]
    const db = openDb('undecodable', { indexedDB: new IDBFactory(), IDBKeyRange })
    const store = new CaseStore(db, { deviceId: 'dev-00000002', deviceNumber: 2, userId: 'u2' as UserId, role: 'township', scope: '340826106' })
    let calls = 0
    const transport: Transport = {
      async sync(req): Promise<SyncResponse> {
        const first = calls++ === 0
        return {
          header: { v: 1, batchId: req.header.batchId, acks: [], commands: [], pulled: first ? pulled.map(([caseId], i) => ({ seq: i + 1, caseId: caseId as CaseId })) : [], cursor: 4, more: false, receipt: { cases: [], missingBlobs: [] } },
          updates: first ? pulled.map(([, u]) => u) : [],
        }
      },
      async uploadBlob() {},
    }
    const engine = new SyncEngine(store, transport)
    const r = await engine.sync()
    expect(r).toMatchObject({ pulled: 2, undecodable: 2, cursor: 4 })
    expect(await engine.undecodableCount()).toBe(2)
    expect((await store.doc('case-healthy-001' as CaseId)).getMap('form').get('reason')).toBe('健康')
    expect((await store.doc('case-poisoned-01' as CaseId)).getMap('form').get('reason')).toBe('先到的')
    expect((await db.cases.get('case-poisoned-01' as CaseId))?.problem).toMatch(/^undecodable_update: 2 entries/)
    // The next sync goes on from the cursor: nothing is stuck.
    expect(await engine.sync()).toMatchObject({ undecodable: 0, cursor: 4 })
  })
})
