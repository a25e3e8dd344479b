// The Storage implementation shared by both databases: Kysely writes portable SQL, and the
// dialect-specific parts (connection, column types) live in sqlite.ts, postgres.ts and the
// migrations.

import { randomUUID } from 'node:crypto'
import { Migrator, type Kysely } from 'kysely'
import type { Department, DivisionCode, OrgUnit, Role, ServiceItem, UserId, YearArrangement } from '../../src/core'
import { migrationProvider } from './migrations'
import type { Database, UsersTable } from './schema'
import type { DeviceRecord, NewUser, Storage, StorageKind, UserRecord } from './types'

function toUser(row: UsersTable): UserRecord {
  return {
    id: row.id as UserId,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role as Role,
    scope: row.scope as DivisionCode,
    displayName: row.display_name,
    department: (row.department as Department | null) ?? null,
    disabled: Boolean(row.disabled),
    createdAt: Number(row.created_at),
  }
}

const isUniqueViolation = (e: unknown) => /unique|duplicate key/i.test(String((e as Error)?.message))

export class KyselyStorage implements Storage {
  constructor(
    readonly kind: StorageKind,
    readonly db: Kysely<Database>,
  ) {}

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.kind) })
    const { error, results } = await migrator.migrateToLatest()
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')
      throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`)
    }
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }

  async getSetting(key: string) {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
    return row?.value
  }

  async setSettingOnce(key: string, value: string) {
    await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute()
    return (await this.getSetting(key))!
  }

  async putOrgUnits(units: OrgUnit[]) {
    await this.db.transaction().execute(async (trx) => {
      for (const u of units) {
        const row = { code: u.code, name: u.name, level: u.level, parent: u.parent ?? null, data: JSON.stringify(u) }
        await trx
          .insertInto('org_units')
          .values(row)
          .onConflict((oc) => oc.column('code').doUpdateSet({ name: row.name, level: row.level, parent: row.parent, data: row.data }))
          .execute()
      }
    })
  }

  async listOrgUnits() {
    const rows = await this.db.selectFrom('org_units').select('data').orderBy('code').execute()
    return rows.map((r) => JSON.parse(r.data) as OrgUnit)
  }

  async putItems(items: ServiceItem[]) {
    await this.db.transaction().execute(async (trx) => {
      for (const item of items) {
        const data = JSON.stringify(item)
        await trx
          .insertInto('items')
          .values({ code: item.code, version: item.version, data })
          .onConflict((oc) => oc.columns(['code', 'version']).doUpdateSet({ data }))
          .execute()
      }
    })
  }

  async listItems() {
    const rows = await this.db.selectFrom('items').select(['code', 'version', 'data']).orderBy('code').orderBy('version').execute()
    const newest = new Map<string, string>()
    for (const r of rows) newest.set(r.code, r.data)
    return [...newest.values()].map((d) => JSON.parse(d) as ServiceItem)
  }

  async getItem(code: string, version: number) {
    const row = await this.db.selectFrom('items').select('data').where('code', '=', code).where('version', '=', version).executeTakeFirst()
    return row ? (JSON.parse(row.data) as ServiceItem) : undefined
  }

  async createUser(u: NewUser) {
    const row: UsersTable = {
      id: u.id ?? randomUUID(),
      username: u.username,
      password_hash: u.passwordHash,
      role: u.role,
      scope: u.scope,
      display_name: u.displayName,
      department: u.department ?? null,
      disabled: u.disabled ? 1 : 0,
      created_at: Date.now(),
    }
    await this.db.insertInto('users').values(row).execute()
    return toUser(row)
  }

  async findUserByUsername(username: string) {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
    return row ? toUser(row) : undefined
  }

  async getUser(id: UserId) {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toUser(row) : undefined
  }

  async countUsers() {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async recordLoginFailure(key: string, now: number, windowMs: number) {
    return this.db.transaction().execute(async (trx) => {
      const prev = await trx.selectFrom('login_failures').selectAll().where('key', '=', key).executeTakeFirst()
      const count = prev && now - Number(prev.last_at) < windowMs ? prev.count + 1 : 1
      await trx
        .insertInto('login_failures')
        .values({ key, count, last_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ count, last_at: now }))
        .execute()
      return { count, lastAt: now }
    })
  }

  async getLoginFailures(key: string) {
    const row = await this.db.selectFrom('login_failures').selectAll().where('key', '=', key).executeTakeFirst()
    return row ? { count: row.count, lastAt: Number(row.last_at) } : undefined
  }

  async clearLoginFailures(key: string) {
    await this.db.deleteFrom('login_failures').where('key', '=', key).execute()
  }

  async enrolDevice(d: Omit<DeviceRecord, 'deviceNumber' | 'createdAt'>): Promise<DeviceRecord> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.getDevice(d.id)
      if (existing) return existing
      try {
        return await this.db.transaction().execute(async (trx) => {
          const max = await trx
            .selectFrom('devices')
            .select((eb) => eb.fn.max('device_number').as('n'))
            .where('village_code', '=', d.villageCode)
            .executeTakeFirst()
          const record: DeviceRecord = { ...d, deviceNumber: Number(max?.n ?? 0) + 1, createdAt: Date.now() }
          await trx
            .insertInto('devices')
            .values({
              id: record.id,
              user_id: record.userId,
              village_code: record.villageCode,
              device_number: record.deviceNumber,
              public_key: record.publicKey,
              label: record.label,
              created_at: record.createdAt,
            })
            .execute()
          return record
        })
      } catch (e) {
        // Another instance took the same number (or enrolled the same device) at the same moment.
        if (!isUniqueViolation(e) || attempt >= 5) throw e
      }
    }
  }

  async getDevice(id: string) {
    const row = await this.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) return undefined
    return {
      id: row.id,
      userId: row.user_id as UserId,
      villageCode: row.village_code,
      deviceNumber: row.device_number,
      publicKey: row.public_key,
      label: row.label,
      createdAt: Number(row.created_at),
    }
  }

  async putArrangement(a: YearArrangement, loadedBy: string) {
    const row = { year: a.year, data: JSON.stringify(a), loaded_by: loadedBy, loaded_at: Date.now() }
    await this.db
      .insertInto('arrangements')
      .values(row)
      .onConflict((oc) => oc.column('year').doUpdateSet({ data: row.data, loaded_by: row.loaded_by, loaded_at: row.loaded_at }))
      .execute()
  }

  async listArrangements() {
    const rows = await this.db.selectFrom('arrangements').select('data').orderBy('year').execute()
    return rows.map((r) => JSON.parse(r.data) as YearArrangement)
  }
}
