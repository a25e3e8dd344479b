// The audit trail is append-only and chained: each row stores sha256(previous row's hash, this
// row's content), so changing or deleting a row breaks the chain at that row and `npm run admin --
// verify-audit` names it. Rows are chained in id order; writers hold the log lock, so the
// previous row read here is the last committed one. Deleting the newest rows leaves a valid
// chain: the head (last id and hash) that verify-audit prints is what an operator keeps elsewhere
// (the backup timer writes it to the journal) to notice that.

import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { AuditTable, Database } from './schema'

export const CHAIN_START = '0'.repeat(64)

type AuditContent = Pick<AuditTable, 'case_id' | 'seq' | 'user_id' | 'device_id' | 'action' | 'detail' | 'at'>

export function chainHash(prev: string, r: AuditContent): string {
  const content = JSON.stringify([r.case_id, r.seq === null ? null : Number(r.seq), r.user_id, r.device_id, r.action, r.detail, Number(r.at)])
  return createHash('sha256').update(prev).update('\n').update(content).digest('hex')
}

export async function lastAuditHash(db: Kysely<Database> | Transaction<Database>): Promise<string> {
  const row = await db.selectFrom('audit').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
  return row?.hash ?? CHAIN_START
}

export type ChainBreak = { id: number; problem: 'changed_or_predecessor_deleted' | 'unchained' }

/** Walks the whole trail in id order (pages of `page` rows); every row whose hash does not follow. */
export async function verifyAuditChain(db: Kysely<Database>, page = 2000): Promise<{ rows: number; breaks: ChainBreak[]; head: { id: number; hash: string } | null }> {
  let prev = CHAIN_START
  let after = 0
  let rows = 0
  const breaks: ChainBreak[] = []
  for (;;) {
    const batch = await db.selectFrom('audit').selectAll().where('id', '>', after).orderBy('id').limit(page).execute()
    for (const r of batch) {
      rows++
      const id = Number(r.id)
      if (!r.hash) breaks.push({ id, problem: 'unchained' })
      else if (chainHash(prev, r) !== r.hash) breaks.push({ id, problem: 'changed_or_predecessor_deleted' })
      // Continue from the stored hash so that one bad row is reported once, not for the whole tail.
      prev = r.hash ?? chainHash(prev, r)
      after = id
    }
    if (batch.length < page) return { rows, breaks, head: rows ? { id: after, hash: prev } : null }
  }
}
