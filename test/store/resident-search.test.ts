import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../src/store/db'
import { saveResident, searchResidents } from '../../src/store/residents'
import { Sealer } from '../../src/store/sealed'
import { dumpDatabase, foundIn } from '../helpers/idb-scan'
import { unlockStore } from '../../src/store/sealed-store'

// Test data only (DOMAIN.md's published test ID numbers).
async function residents(sealed = false, indexedDB = new IDBFactory()) {
  const db = openDb('resident-search', { indexedDB, IDBKeyRange })
  if (sealed) {
    await db.open()
    await unlockStore(db, await Sealer.fromSecret(crypto.getRandomValues(new Uint8Array(32))))
  }
  for (const r of [
    { name: '王卫东', idNumber: '34082619480705002X', phone: '13812345678', address: '' },
    { name: '李桂兰', idNumber: '340826195603120019', phone: '13912340000', address: '' },
    { name: '王文', idNumber: '11010519491231002X', phone: '', address: '' },
  ])
    expect((await saveResident(db, '340826106001', r)).ok).toBe(true)
  return db
}

const names = async (db: Awaited<ReturnType<typeof residents>>, q: string) => (await searchResidents(db, q)).map((r) => r.name).sort()

describe('resident-search', () => {
  it('finds a resident by the pinyin initials of the name', async () => {
    const db = await residents()
    expect(await names(db, 'wwd')).toEqual(['王卫东'])
    expect(await names(db, 'WW')).toEqual(['王卫东', '王文'])
    expect(await names(db, 'lgl')).toEqual(['李桂兰'])
  })

  it('finds a resident by the last 4 characters of the ID number, and by the end of the phone number', async () => {
    const db = await residents()
    expect(await names(db, '0019')).toEqual(['李桂兰'])
    expect(await names(db, '002x')).toEqual(['王卫东', '王文'])
    expect(await names(db, '5678')).toEqual(['王卫东'])
    expect(await names(db, '2340000')).toEqual(['李桂兰'])
  })

  it('still finds by name and ID prefix', async () => {
    const db = await residents()
    expect(await names(db, '王')).toEqual(['王卫东', '王文'])
    expect(await names(db, '110105')).toEqual(['王文'])
  })

  it('finds by initials and number endings in a sealed store too, where only memory holds the fields', async () => {
    const indexedDB = new IDBFactory()
    const db = await residents(true, indexedDB)
    expect(db.sealer).toBeTruthy()
    // Nothing searched below is stored in the clear: the matches can only come from memory.
    expect(foundIn(await dumpDatabase(indexedDB, 'resident-search'), ['王卫东', '李桂兰', '34082619480705002X', '13812345678'])).toEqual([])
    expect(await names(db, 'wwd')).toEqual(['王卫东'])
    expect(await names(db, '0019')).toEqual(['李桂兰'])
    expect(await names(db, '5678')).toEqual(['王卫东'])
    expect(await names(db, '王')).toEqual(['王卫东', '王文'])
  })
})
