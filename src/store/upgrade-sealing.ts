// Upgrade in place: a database written before encryption is sealed on the first unlock after the
// upgrade, table by table in small steps. Each step seals a few rows (outside any transaction),
// then writes them in one transaction together with how far it got, so a page closed halfway
// resumes where the last committed step ended and never leaves a row half done. A row already
// sealed is skipped, so a step repeated after a crash changes nothing.

import type { IndexableType, Table } from 'dexie'
import { type BlobRow, type CaseRow, type DaibanDB, type OutboxRow, type ResidentRow, type UpdateRow } from './db'
import { residentTag } from './residents'
import { sealPhoto, sealUpdate } from './sealed-rows'

export const SEALED_VERSION = 1
const DONE = 'sealed.version'
const PROGRESS = 'sealed.progress'
const STEP = 200

type Progress = { table: TableName; after: IndexableType | null }
const ORDER = ['updates', 'cases', 'residents', 'outbox', 'blobs'] as const
type TableName = (typeof ORDER)[number]

export async function sealingDone(db: DaibanDB): Promise<boolean> {
  return ((await db.kv.get(DONE))?.value as number | undefined) === SEALED_VERSION
}

/**
 * Seals every row still in the clear, `step` rows at a time. `stopAfter` (tests) ends the run after
 * that many steps, as a closed page would. Returns true when everything is sealed.
 */
export async function sealPlaintext(db: DaibanDB, o: { step?: number; stopAfter?: number } = {}): Promise<boolean> {
  if (!db.sealer) throw new Error('the store is locked')
  if (await sealingDone(db)) return true
  const step = o.step ?? STEP
  let progress = ((await db.kv.get(PROGRESS))?.value as Progress | undefined) ?? { table: ORDER[0], after: null }
  for (let steps = 0; ; steps++) {
    if (o.stopAfter !== undefined && steps >= o.stopAfter) return false
    const table = db.table(progress.table) as Table<Record<string, unknown>, IndexableType>
    const rows = await (progress.after === null ? table.orderBy(':id') : table.where(':id').above(progress.after)).limit(step).toArray()
    const sealed = (await Promise.all(rows.map((r) => sealRow(db, progress.table, r)))).filter((r): r is Record<string, unknown> => r !== null)
    const last = rows.length ? (table.schema.primKey.keyPath ? rows[rows.length - 1]![table.schema.primKey.keyPath as string] : null) : null
    const next: Progress | 'done' =
      rows.length === step ? { table: progress.table, after: last as IndexableType } : ORDER.indexOf(progress.table) + 1 < ORDER.length ? { table: ORDER[ORDER.indexOf(progress.table) + 1]!, after: null } : 'done'
    await db.transaction('rw', [table, db.kv], async () => {
      if (sealed.length) await table.bulkPut(sealed)
      if (next === 'done') {
        await db.kv.put({ key: DONE, value: SEALED_VERSION })
        await db.kv.delete(PROGRESS)
      } else await db.kv.put({ key: PROGRESS, value: next })
    })
    if (next === 'done') return true
    progress = next
  }
}

/** The row sealed, or null when it already is. Personal fields are sealed into memory first (sealed-fields.ts). */
async function sealRow(db: DaibanDB, table: TableName, row: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  switch (table) {
    case 'updates': {
      const r = row as unknown as UpdateRow
      if (r.x || !r.update) return null
      const { update: _u, ...rest } = r
      return { ...rest, ...(await sealUpdate(db, r.update)) }
    }
    case 'cases': {
      const r = row as unknown as CaseRow
      const fields = db.personal.cases
      if (r.x || !fields) return null
      await fields.set(r.id, fields.pick(row))
      return { ...r, ...fields.get(r.id) }
    }
    case 'residents': {
      const r = row as unknown as ResidentRow
      const fields = db.personal.residents
      if (r.x || !fields) return null
      await fields.set(r.id, fields.pick(row))
      return { ...r, idTag: await residentTag(db, 'id', r.idNumber), phoneTag: r.phone ? await residentTag(db, 'phone', r.phone) : '' }
    }
    case 'outbox': {
      const r = row as unknown as OutboxRow
      const fields = db.personal.outbox
      if (r.x || !fields) return null
      await fields.set(r.id, { command: r.command ?? null })
      return { ...r }
    }
    case 'blobs': {
      const r = row as unknown as BlobRow
      if (r.sealed) return null
      const bytes = r.data instanceof Uint8Array ? r.data : new Uint8Array(await r.data.arrayBuffer())
      const thumb = r.thumb ? (r.thumb instanceof Uint8Array ? r.thumb : new Uint8Array(await r.thumb.arrayBuffer())) : undefined
      return { ...r, ...(await sealPhoto(db, bytes, thumb)) }
    }
  }
}
