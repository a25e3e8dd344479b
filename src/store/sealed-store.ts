// Unlocking and locking an account's store: the data key and the personal fields in memory are
// set on the open database (db.sealer, db.personal) and dropped again on lock or sign-out.

import { CASE_PERSONAL, RESIDENT_PERSONAL, type DaibanDB } from './db'
import type { Command } from '../core'
import type { Sealer } from './sealed'
import { SealedFields } from './sealed-fields'
import { sealPlaintext } from './upgrade-sealing'

/** Opens the personal fields into memory, then seals whatever an older version left in the clear. */
export async function unlockStore(db: DaibanDB, sealer: Sealer, upgrade: { step?: number; stopAfter?: number } = {}): Promise<{ unreadable: number; sealed: boolean }> {
  db.locked = false
  db.sealer = sealer
  const byId = (r: Record<string, unknown>) => r.id as string
  const personal = {
    cases: new SealedFields('cases', byId, CASE_PERSONAL, sealer),
    residents: new SealedFields('residents', byId, RESIDENT_PERSONAL, sealer),
    outbox: new SealedFields<{ command: Command | null }>('outbox', byId, { command: null }, sealer),
  }
  db.personal = personal
  const [cases, residents, outbox] = await Promise.all([db.cases.toArray(), db.residents.toArray(), db.outbox.toArray()])
  const loaded = await Promise.all([personal.cases.load(cases), personal.residents.load(residents), personal.outbox.load(outbox)])
  const sealed = await sealPlaintext(db, upgrade)
  return { unreadable: loaded.reduce((n, l) => n + l.unreadable, 0), sealed }
}

/** Drops the key and the fields in memory; the database refuses writes from then on. */
export function lockStore(db: DaibanDB): void {
  db.locked = true
  db.sealer = null
  for (const f of Object.values(db.personal)) f?.clear()
  db.personal = {}
}
