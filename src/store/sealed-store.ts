// Unlocking and locking an account's store: the data key and the personal fields in memory are
// set on the open database (db.sealer, db.personal) and dropped again on lock or sign-out.

import { CASE_PERSONAL, RESIDENT_PERSONAL, type CaseRow, type DaibanDB, type PersonalFields } from './db'
import type { Command } from '../core'
import type { Sealer } from './sealed'
import { SealedFields } from './sealed-fields'
import { sealingDone, sealPlaintext } from './upgrade-sealing'

const SNAPSHOT = 'sealed.snapshot.'
const TABLES = ['cases', 'residents', 'outbox'] as const

/**
 * Opens the personal fields into memory, then seals whatever an older version left in the clear.
 * Returns the case rows as read (with their fields), for the case list's first query.
 */
export async function unlockStore(db: DaibanDB, sealer: Sealer, upgrade: { step?: number; stopAfter?: number } = {}): Promise<{ unreadable: number; stale: number; sealed: boolean; cases: CaseRow[] }> {
  db.locked = false
  db.sealer = sealer
  const byId = (r: Record<string, unknown>) => r.id as string
  const personal = {
    cases: new SealedFields('cases', byId, CASE_PERSONAL, sealer),
    residents: new SealedFields('residents', byId, RESIDENT_PERSONAL, sealer),
    outbox: new SealedFields<{ command: Command | null }>('outbox', byId, { command: null }, sealer),
  }
  db.personal = personal
  const snapshots = new Map((await db.kv.bulkGet(TABLES.map((t) => SNAPSHOT + t))).map((r, i) => [TABLES[i]!, r?.value as Uint8Array | undefined]))
  // Residents load when first needed, after the first list rows (their reads wait for `ensure`).
  personal.residents.lazy(async () => {
    const r = await personal.residents.load(await db.residents.toArray(), snapshots.get('residents'))
    if (r.stale > 0 && (await sealingDone(db))) void snapshotStore(db).catch(() => {})
    return r
  })
  const [cases, outbox] = await Promise.all([db.cases.toArray(), db.outbox.toArray()])
  const loaded = await Promise.all([personal.cases.load(cases, snapshots.get('cases')), personal.outbox.load(outbox, snapshots.get('outbox'))])
  let sealed = true
  const upgrading = !(await sealingDone(db))
  if (upgrading) {
    loaded.push((await personal.residents.ensure())!)
    sealed = await sealPlaintext(db, upgrade)
  }
  const stale = loaded.reduce((n, l) => n + l.stale, 0)
  return {
    unreadable: loaded.reduce((n, l) => n + l.unreadable, 0),
    stale,
    sealed,
    // Rows sealed just now by the upgrade were read in the clear: read them again.
    cases: upgrading && cases.some((r) => !r.x) ? await db.cases.toArray() : cases.map((r) => personal.cases.reveal(r as unknown as Record<string, unknown>) as unknown as CaseRow),
  }
}

/** Writes the snapshots of the fields in memory (sealed-fields.ts), so the next unlock is quick. */
export async function snapshotStore(db: DaibanDB): Promise<void> {
  if (!db.sealer || db.locked) return
  const rows: { key: string; value: Uint8Array }[] = []
  for (const t of TABLES) {
    const f = (db.personal as PersonalFields)[t]
    const value = await f?.snapshot()
    if (value) rows.push({ key: SNAPSHOT + t, value })
  }
  await db.transaction('rw', db.kv, () => db.kv.bulkPut(rows))
}

/** Drops the key and the fields in memory; the database refuses writes from then on. */
export function lockStore(db: DaibanDB): void {
  db.locked = true
  db.sealer = null
  for (const f of Object.values(db.personal)) f?.clear()
  db.personal = {}
}
