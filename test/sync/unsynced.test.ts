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
