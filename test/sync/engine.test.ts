import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
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
    const stored = (await db.updates.where('caseId').equals(caseId).toArray()).reduce((n, r) => n + r.update.byteLength, 0)
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
