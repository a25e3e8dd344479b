// Migration 060 (paper): the index of papers the devices printed (received with their case
// updates, in the log transaction) and the clock offset of each device, measured at each sync.

import type { Kysely, Migration } from 'kysely'
import type { StorageKind } from './types'

type Db = Kysely<unknown>

export function paperMigration(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  return {
    async up(db: Db) {
      await db.schema
        .createTable('papers')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reprint', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('issued_by', 'text', (c) => c.notNull())
        .addColumn('issued_at', big, (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('papers_pk', ['device_id', 'seq'])
        .execute()
      await db.schema.createIndex('papers_case').on('papers').columns(['case_id']).execute()
      await db.schema
        .createTable('device_clocks')
        .addColumn('device_id', 'text', (c) => c.primaryKey())
        .addColumn('offset_ms', big, (c) => c.notNull())
        .addColumn('measured_at', big, (c) => c.notNull())
        .execute()
    },
  }
}
