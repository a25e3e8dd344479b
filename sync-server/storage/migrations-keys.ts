// Migration 060 (device data at rest): the per-device escrow keys that let an online sign-in open a
// device's encrypted store after a password reset, and when a revoked device confirmed its erase.

import type { Kysely, Migration } from 'kysely'
import type { StorageKind } from './types'

type Db = Kysely<unknown>

export function deviceKeysMigration(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  return {
    async up(db: Db) {
      await db.schema
        .createTable('device_escrow')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('device_escrow_pk', ['device_id', 'user_id'])
        .execute()
      await db.schema.alterTable('devices').addColumn('erased_at', big).execute()
    },
  }
}
