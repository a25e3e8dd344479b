// Schema migrations, run at start-up by Kysely's Migrator. They are code (not files) so the
// server bundle carries them, and each one takes the dialect so the few type differences
// between SQLite and PostgreSQL stay in one place.

import type { Kysely, Migration, MigrationProvider } from 'kysely'
import type { StorageKind } from './types'

type Db = Kysely<unknown>

function v001(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  return {
    async up(db: Db) {
      await db.schema.createTable('settings').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute()
      await db.schema
        .createTable('org_units')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('parent', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('items')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('items_pk', ['code', 'version'])
        .execute()
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', big, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('login_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('last_at', big, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('village_code', 'text', (c) => c.notNull())
        .addColumn('device_number', 'integer', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addUniqueConstraint('devices_village_number', ['village_code', 'device_number'])
        .execute()
      await db.schema
        .createTable('arrangements')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('loaded_by', 'text', (c) => c.notNull())
        .addColumn('loaded_at', big, (c) => c.notNull())
        .execute()
    },
  }
}

export function migrationProvider(kind: StorageKind): MigrationProvider {
  return {
    async getMigrations() {
      return { '001_foundation': v001(kind) }
    },
  }
}
