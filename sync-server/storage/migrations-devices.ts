// Migration 055: what each device reported with its last sync (app version, unsynced changes).

import type { Kysely, Migration } from 'kysely'
import type { StorageKind } from './types'

export function deviceReportsMigration(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('devices').addColumn('app_version', 'text').execute()
      await db.schema.alterTable('devices').addColumn('unsynced', 'integer').execute()
      await db.schema.alterTable('devices').addColumn('reported_at', big).execute()
    },
  }
}
