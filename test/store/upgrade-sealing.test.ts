import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { readForm, type ItemCode, type UserId } from '../../src/core'
import { CaseStore } from '../../src/store/case-store'
import { openDb } from '../../src/store/db'
import { saveResident, searchResidents } from '../../src/store/residents'
import { Sealer } from '../../src/store/sealed'
import { openPhoto } from '../../src/store/sealed-rows'
import { lockStore, snapshotStore, unlockStore } from '../../src/store/sealed-store'
import { sealingDone } from '../../src/store/upgrade-sealing'
import { dumpDatabase, foundIn } from '../helpers/idb-scan'

const identity = { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent' as const, scope: '340826106001' }
const PHOTO = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31 + 7) % 253)

/** A database as the version before encryption wrote it: everything in the clear. */
async function plaintextDevice(indexedDB: IDBFactory) {
  const db = openDb('daiban-user-upgrade', { indexedDB, IDBKeyRange })
  await db.open()
  const store = new CaseStore(db, identity)
  const caseIds = []
  for (let i = 0; i < 5; i++) {
    const { caseId } = await store.createCase({ code: 'gaoling' as ItemCode, version: 1, name: '高龄津贴' })
    await store.setFields(caseId, { applicant_name: '王卫东', applicant_id: '340826195603120019', applicant_phone: '13812345678' })
    caseIds.push(caseId)
  }
  await store.addPhoto(caseIds[0]!, 'hukou', PHOTO, 'image/jpeg', PHOTO.slice(0, 500))
  await store.queueCommand(caseIds[0]!, { type: 'rate', rating: 5, comment: '王卫东很满意' })
  const saved = await saveResident(db, '340826106001', { name: '王卫东', idNumber: '340826195603120019', phone: '13812345678', address: '新屋组' })
  db.close()
  return { caseIds, residentId: saved.ok ? saved.resident.id : '' }
}

describe('upgrade-sealing', () => {
  it('seals a plaintext database on first unlock, also when the page closed halfway, losing nothing', async () => {
    const indexedDB = new IDBFactory()
    const { caseIds, residentId } = await plaintextDevice(indexedDB)
    const before = await dumpDatabase(indexedDB, 'daiban-user-upgrade')
    expect(foundIn(before, ['王卫东', '340826195603120019', '13812345678', PHOTO])).toHaveLength(4)

    const secret = crypto.getRandomValues(new Uint8Array(32))
    // First unlock: the page closes after three steps of four rows.
    const first = openDb('daiban-user-upgrade', { indexedDB, IDBKeyRange })
    await first.open()
    expect(await unlockStore(first, await Sealer.fromSecret(secret.slice()), { step: 4, stopAfter: 3 })).toMatchObject({ sealed: false })
    expect(await sealingDone(first)).toBe(false)
    first.close()
    lockStore(first)
    const halfway = await dumpDatabase(indexedDB, 'daiban-user-upgrade')
    expect(foundIn(halfway, ['王卫东']).length).toBe(1) // not finished: some rows still in the clear

    // The next unlock resumes and finishes.
    const db = openDb('daiban-user-upgrade', { indexedDB, IDBKeyRange })
    await db.open()
    expect(await unlockStore(db, await Sealer.fromSecret(secret.slice()), { step: 4 })).toMatchObject({ sealed: true, unreadable: 0 })
    expect(await sealingDone(db)).toBe(true)
    const after = await dumpDatabase(indexedDB, 'daiban-user-upgrade')
    expect(foundIn(after, ['王卫东', '340826195603120019', '13812345678', '王*东', PHOTO, PHOTO.slice(0, 500)])).toEqual([])

    // Nothing lost: documents, list rows, residents, photos and commands read as before.
    const store = new CaseStore(db, identity)
    for (const id of caseIds) expect(readForm(await store.doc(id))).toMatchObject({ applicant_name: '王卫东', applicant_id: '340826195603120019' })
    expect((await db.cases.get(caseIds[1]!))?.searchText).toContain('13812345678')
    await db.personal.residents!.ensure()
    expect((await searchResidents(db, '340826195603120019')).map((r) => r.id)).toEqual([residentId])
    expect((await searchResidents(db, '王卫')).map((r) => r.id)).toEqual([residentId])
    const blob = (await db.blobs.where('caseId').equals(caseIds[0]!).first())!
    expect(await openPhoto(db, blob)).toEqual(PHOTO)
    expect(await openPhoto(db, blob, true)).toEqual(PHOTO.slice(0, 500))
    expect((await db.outbox.toArray())[0]?.command).toMatchObject({ type: 'rate', comment: '王卫东很满意' })
    db.close()
  })

  it('opens the fields from one snapshot at the next unlock, and only rows changed since on their own', async () => {
    const indexedDB = new IDBFactory()
    const { residentId } = await plaintextDevice(indexedDB)
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const open = async () => {
      const db = openDb('daiban-user-upgrade', { indexedDB, IDBKeyRange })
      await db.open()
      return { db, unlocked: await unlockStore(db, await Sealer.fromSecret(secret.slice())) }
    }
    const first = await open()
    expect(first.unlocked.sealed).toBe(true)
    await snapshotStore(first.db)
    first.db.close()
    lockStore(first.db)

    const second = await open()
    expect(second.unlocked).toMatchObject({ stale: 0, unreadable: 0 })
    expect(await second.db.personal.residents!.ensure()).toMatchObject({ stale: 0, unreadable: 0 })
    expect(second.unlocked.cases.map((c) => c.applicant)).toEqual(Array(5).fill('王*东'))
    expect(await saveResident(second.db, '340826106001', { id: residentId, name: '王卫国', idNumber: '340826195603120019', phone: '', address: '' })).toMatchObject({ ok: true })
    second.db.close()
    lockStore(second.db)

    const third = await open()
    expect(third.unlocked).toMatchObject({ stale: 0, unreadable: 0 })
    expect(await third.db.personal.residents!.ensure()).toMatchObject({ stale: 1, unreadable: 0 })
    expect((await searchResidents(third.db, '王卫')).map((r) => r.name)).toEqual(['王卫国'])
    third.db.close()
  })
})
