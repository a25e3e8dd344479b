import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { UserId } from '../../src/core'
import { CaseStore } from '../../src/store/case-store'
import { openDb } from '../../src/store/db'
import { unsyncedSummary } from '../../src/sync/unsynced'

describe('unsynced', () => {
  it('counts one case typed in offline as one, however many changes it took, plus photos to upload', async () => {
    const db = openDb('unsynced-count', { indexedDB: new IDBFactory(), IDBKeyRange })
    const store = new CaseStore(db, { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent', scope: '340826106001' })
    const { caseId } = await store.createCase({ code: 'DEMO-1' as never, version: 1, name: '临时救助' })
    for (let i = 0; i < 15; i++) await store.setField(caseId, `f${i}`, `v${i}`)
    await store.addPhoto(caseId, 'id_card', new Uint8Array(1000))
    await store.queueCommand(caseId, { type: 'submit' })
    expect(await db.updates.where('sent').equals(0).count()).toBeGreaterThan(15)
    expect(await unsyncedSummary(db)).toEqual({ cases: 1, photos: 1, photoBytes: 1000 })
    const second = await store.createCase({ code: 'DEMO-1' as never, version: 1, name: '临时救助' })
    await store.setField(second.caseId, 'f', 'x')
    expect((await unsyncedSummary(db)).cases).toBe(2)
  })
})

describe('unsynced: photo upload progress', () => {
  it('reports the photo bytes uploaded during a sync, so a large upload shows a bar', async () => {
    const { SyncEngine } = await import('../../src/sync/engine')
    const db = openDb('photo-progress', { indexedDB: new IDBFactory(), IDBKeyRange })
    const store = new CaseStore(db, { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent', scope: '340826106001' })
    const { caseId } = await store.createCase({ code: 'DEMO-1' as never, version: 1, name: '临时救助' })
    const a = await store.addPhoto(caseId, 'id_card', new Uint8Array(300_000).fill(1))
    const b = await store.addPhoto(caseId, 'id_card', new Uint8Array(100_000).fill(2))
    const seen: { done: number; total: number }[] = []
    const engine = new SyncEngine(
      store,
      {
        async sync(req) {
          return { header: { v: 1, batchId: req.header.batchId, acks: req.header.updates.map((id) => ({ caseId: id as never, ok: true as const })), commands: [], pulled: [], cursor: 0, more: false, receipt: { cases: [], missingBlobs: [a, b] } }, updates: [] }
        },
        async uploadBlob() {},
      },
      { onProgress: (p) => p.photos && seen.push(p.photos) },
    )
    await engine.sync()
    expect(seen.map((p) => p.total)).toEqual([400_000, 400_000])
    expect(seen.at(-1)!.done).toBe(400_000)
    expect(await unsyncedSummary(db)).toMatchObject({ photos: 0, cases: 0 })
  })
})
