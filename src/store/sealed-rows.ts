// Sealing of the binary rows: Yjs updates and photos. They are sealed before the IndexedDB
// transaction that stores them (WebCrypto is asynchronous and would let the transaction commit)
// and opened after reading. A row from before encryption (plaintext `update`, unsealed photo)
// still opens; the upgrade (upgrade-sealing.ts) seals it on the first unlock.

import type { BlobRow, DaibanDB, UpdateRow } from './db'

export async function sealUpdate(db: DaibanDB, update: Uint8Array): Promise<Pick<UpdateRow, 'update' | 'x'>> {
  if (db.locked) throw new Error('the store is locked')
  return db.sealer ? { x: await db.sealer.seal(update) } : { update }
}

export async function openUpdate(db: DaibanDB, row: Pick<UpdateRow, 'update' | 'x'>): Promise<Uint8Array> {
  if (row.x) {
    if (!db.sealer) throw new Error('the store is locked')
    return db.sealer.open(row.x)
  }
  return row.update ?? new Uint8Array(0)
}

export function openUpdates(db: DaibanDB, rows: Pick<UpdateRow, 'update' | 'x'>[]): Promise<Uint8Array[]> {
  return Promise.all(rows.map((r) => openUpdate(db, r)))
}

/** Stored size of an update row (for request budgets). */
export const updateSize = (row: Pick<UpdateRow, 'update' | 'x'>) => (row.x ?? row.update)?.byteLength ?? 0

const bytesOf = async (d: Blob | Uint8Array) => (d instanceof Uint8Array ? d : new Uint8Array(await d.arrayBuffer()))

/** A photo (and its thumbnail) as stored. */
export async function sealPhoto(db: DaibanDB, data: Uint8Array, thumb?: Uint8Array): Promise<Pick<BlobRow, 'data' | 'thumb' | 'sealed'>> {
  if (db.locked) throw new Error('the store is locked')
  if (!db.sealer) return { data, ...(thumb ? { thumb } : {}) }
  return { data: await db.sealer.seal(data), ...(thumb ? { thumb: await db.sealer.seal(thumb) } : {}), sealed: 1 }
}

export async function openPhoto(db: DaibanDB, row: Pick<BlobRow, 'data' | 'thumb' | 'sealed'>, thumb = false): Promise<Uint8Array> {
  const stored = await bytesOf(thumb && row.thumb ? row.thumb : row.data)
  if (!row.sealed) return stored
  if (!db.sealer) throw new Error('the store is locked')
  return db.sealer.open(stored)
}
