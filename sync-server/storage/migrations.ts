// Schema migrations, run at start-up by Kysely's Migrator. They are code (not files) so the
// server bundle carries them, and each one takes the dialect so the few type differences
// between SQLite and PostgreSQL stay in one place.

import { sql, type ColumnDefinitionBuilderCallback, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import type { StorageKind } from './types'
import { adminAccountsMigration, adminMigration } from './migrations-admin'
import { deviceReportsMigration } from './migrations-devices'
import { paperMigration } from './migrations-paper'
import { deviceKeysMigration } from './migrations-keys'
import { metricsIndexMigration } from './migrations-metrics'

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

function v002(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  const bytes = kind === 'postgres' ? 'bytea' : 'blob'
  const serial = (table: string, col: string) =>
    kind === 'postgres'
      ? (b: ReturnType<Db['schema']['createTable']>) => b.addColumn(col, 'bigserial', (c) => c.primaryKey())
      : (b: ReturnType<Db['schema']['createTable']>) => b.addColumn(col, 'integer', (c) => c.primaryKey().autoIncrement())
  return {
    async up(db: Db) {
      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('item_code', 'text', (c) => c.notNull())
        .addColumn('item_version', 'integer', (c) => c.notNull())
        .addColumn('village', 'text', (c) => c.notNull())
        .addColumn('township', 'text', (c) => c.notNull())
        .addColumn('county', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text')
        .addColumn('reached_county', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('audience', 'integer', (c) => c.notNull())
        .addColumn('head_seq', big, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('cases_township_queue').on('cases').columns(['township', 'status', 'deadline']).execute()
      await db.schema.createIndex('cases_county_queue').on('cases').columns(['county', 'reached_county', 'status', 'deadline']).execute()
      await db.schema.createIndex('cases_village').on('cases').columns(['village', 'status']).execute()

      await serial('updates', 'seq')(db.schema.createTable('updates'))
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('village', 'text', (c) => c.notNull())
        .addColumn('township', 'text', (c) => c.notNull())
        .addColumn('county', 'text', (c) => c.notNull())
        .addColumn('audience', 'integer', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('updates_case').on('updates').columns(['case_id', 'seq']).execute()
      await db.schema.createIndex('updates_village').on('updates').columns(['village', 'seq']).execute()
      await db.schema.createIndex('updates_township').on('updates').columns(['township', 'seq']).execute()
      await db.schema.createIndex('updates_county').on('updates').columns(['county', 'seq']).execute()

      await db.schema
        .createTable('commands')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('batches')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('response', bytes, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('batches_pk', ['user_id', 'id'])
        .execute()
      await db.schema
        .createTable('blobs')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('size', big, (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('blob_chunks')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('offset', big, (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('total', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_chunks_pk', ['hash', 'offset'])
        .execute()
      await db.schema
        .createTable('case_blobs')
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_blobs_pk', ['case_id', 'hash'])
        .execute()
      await db.schema.createIndex('case_blobs_hash').on('case_blobs').columns(['hash']).execute()
      await serial('audit', 'id')(db.schema.createTable('audit'))
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('seq', big)
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_case').on('audit').columns(['case_id', 'id']).execute()
    },
  }
}

/**
 * Security: device revocation, who uploaded each photo, and unfinished uploads kept apart per
 * uploader (so a false start by one account cannot block another's upload).
 */
function v020(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  const bytes = kind === 'postgres' ? 'bytea' : 'blob'
  return {
    async up(db: Db) {
      await db.schema.alterTable('devices').addColumn('revoked_at', big).execute()
      await db.schema.alterTable('devices').addColumn('highest_paper_seq_at_revocation', big).execute()
      await db.schema
        .createTable('blob_owners')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_owners_pk', ['hash', 'user_id'])
        .execute()
      await db.schema
        .createTable('blob_uploads')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('offset', big, (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('total', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_uploads_pk', ['hash', 'user_id', 'offset'])
        .execute()
      await db.schema.createIndex('blob_uploads_user').on('blob_uploads').columns(['user_id']).execute()
      // Unfinished uploads of the old shared table cannot be attributed: devices start them again.
      await sql`delete from blob_chunks`.execute(db)
    },
  }
}

/** Queue routing columns on cases (kept current in the log transaction) and the indexes queues page on. */
function v030(kind: StorageKind): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer'
  const columns: [string, string, ColumnDefinitionBuilderCallback?][] = [
    ['open', 'integer', (c) => c.notNull().defaultTo(0)],
    ['due', 'text', (c) => c.notNull().defaultTo('9999-12-31')],
    ['due_kind', 'text', (c) => c.notNull().defaultTo('none')],
    ['due_estimated', 'integer', (c) => c.notNull().defaultTo(0)],
    ['from_receipt', 'integer', (c) => c.notNull().defaultTo(0)],
    ['paused', 'integer', (c) => c.notNull().defaultTo(0)],
    ['assignee', 'text'],
    ['assignee_name', 'text'],
    ['assignee_until', big],
    ['received_at', big],
    ['received_by', 'text'],
    ['received_device', 'text'],
    ['submitted_on', 'text'],
    ['accepted_on', 'text'],
    ['completed_on', 'text'],
    ['closed_on', 'text'],
    ['kind', 'text', (c) => c.notNull().defaultTo('promised')],
    ['returned', 'integer', (c) => c.notNull().defaultTo(0)],
    ['on_time', 'integer'],
    ['work_days', 'integer'],
    ['trips', 'integer'],
    ['rating', 'integer'],
    ['name_key', 'text', (c) => c.notNull().defaultTo('')],
  ]
  return {
    async up(db: Db) {
      for (const [name, type, build] of columns) await db.schema.alterTable('cases').addColumn(name, type as 'text', build).execute()
      await sql`update cases set open = case when status in ('submitted', 'returned', 'accepted', 'forwarded') then 1 else 0 end, due = coalesce(deadline, '9999-12-31')`.execute(db)
      const index = (name: string, cols: string[]) => db.schema.createIndex(name).on('cases').columns(cols).execute()
      // name_key last: a name search filters index entries before reading any wide row.
      await index('cases_q_township', ['township', 'open', 'due', 'id', 'name_key'])
      await index('cases_q_township_dept', ['township', 'department', 'open', 'due', 'id'])
      await index('cases_q_county', ['county', 'reached_county', 'open', 'due', 'id'])
      await index('cases_q_county_dept', ['county', 'department', 'reached_county', 'open', 'due', 'id'])
      await index('cases_q_supervision', ['county', 'open', 'due', 'id'])
      await index('cases_q_village', ['village', 'open', 'due', 'id'])
      await index('cases_q_status', ['township', 'status', 'due', 'id'])
      await index('cases_received', ['township', 'received_at'])
      await index('cases_received_village', ['village', 'received_at'])
      await index('cases_assignee', ['assignee', 'open', 'due'])
      // state=all: every status in due order.
      await index('cases_q_township_all', ['township', 'due', 'id'])
      await index('cases_q_county_all', ['county', 'reached_county', 'due', 'id'])
      await index('cases_q_village_all', ['village', 'due', 'id'])
      // Service metrics read only these columns: a covering index spares reading the wide rows.
      await index('cases_metrics', ['county', 'township', 'village', 'department', 'item_code', 'kind', 'submitted_on', 'accepted_on', 'completed_on', 'returned', 'on_time', 'work_days', 'trips', 'rating'])
    },
  }
}

export function migrationProvider(kind: StorageKind): MigrationProvider {
  return {
    async getMigrations() {
      return { '001_foundation': v001(kind), '002_sync': v002(kind), '020_security': v020(kind), '030_queue_routing': v030(kind), '050_admin': adminMigration(kind), '051_admin_accounts': adminAccountsMigration(kind), '055_device_reports': deviceReportsMigration(kind), '060_paper': paperMigration(kind), '065_device_keys': deviceKeysMigration(kind), '070_metric_groups': metricsIndexMigration() }
    },
  }
}
