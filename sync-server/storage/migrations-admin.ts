// Migration 050 (administration): the audit hash chain over existing rows, and one-time setup
// tokens for the first administrator.

import { sql, type Kysely, type Migration } from 'kysely'
import { CHAIN_START, chainHash } from './audit-chain'
import type { AuditTable } from './schema'
import type { StorageKind } from './types'

type Db = Kysely<unknown>

export function adminMigration(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  return {
    async up(db: Db) {
      await db.schema.alterTable('audit').addColumn('hash', 'text').execute()
      // Rows written before the chain existed are chained now, in id order.
      let prev = CHAIN_START
      let after = 0
      for (;;) {
        const { rows } = await sql<AuditTable>`select * from audit where id > ${after} order by id limit 1000`.execute(db)
        for (const r of rows) {
          prev = chainHash(prev, r)
          await sql`update audit set hash = ${prev} where id = ${r.id}`.execute(db)
          after = Number(r.id)
        }
        if (rows.length < 1000) break
      }
      await db.schema
        .createTable('setup_tokens')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('used_at', big)
        .execute()
    },
  }
}

/** Migration 051: accounts whose password an administrator reset (they must choose a new one). */
export function adminAccountsMigration(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  return {
    async up(db: Db) {
      await db.schema
        .createTable('password_resets')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .execute()
    },
  }
}
