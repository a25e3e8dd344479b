import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { readMaterials, type UserId } from '../../src/core'
import { CaseStore } from '../../src/store/case-store'
import { openDb } from '../../src/store/db'
import { removePhoto } from '../../src/sync/photo-edit'

describe('photo-edit', () => {
  it('deletes a photo before take-in, and refuses once the case is taken in', async () => {
    const db = openDb('photo-edit', { indexedDB: new IDBFactory(), IDBKeyRange })
    const store = new CaseStore(db, { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent', scope: '340826106001' })
    const { caseId } = await store.createCase({ code: 'DEMO-1' as never, version: 1, name: '高龄津贴' })
    const first = await store.addPhoto(caseId, 'id_card', new Uint8Array([1, 2, 3]))
    const second = await store.addPhoto(caseId, 'id_card', new Uint8Array([4, 5, 6]))
    await removePhoto(db, store, caseId, 'id_card', first)
    expect(readMaterials(await store.doc(caseId)).id_card?.photos).toEqual([second])
    expect(await db.blobs.get(first)).toBeUndefined() // never sent: the bytes go too
    await store.queueCommand(caseId, { type: 'submit' })
    await expect(removePhoto(db, store, caseId, 'id_card', second)).rejects.toThrow(/taken in/)
    expect(readMaterials(await store.doc(caseId)).id_card?.photos).toEqual([second])
  })
})
