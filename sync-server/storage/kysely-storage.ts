// The Storage implementation shared by both databases: Kysely writes portable SQL, and the
// dialect-specific parts (connection, column types) live in sqlite.ts, postgres.ts and the
// migrations.

import { randomUUID } from 'node:crypto'
import { Migrator, sql, type Kysely } from 'kysely'
import { DaibanError, ErrorCode, type Department, type DivisionCode, type OrgUnit, type Role, type ServiceItem, type UserId, type YearArrangement } from '../../src/core'
import { migrationProvider } from './migrations'
import type { Database, UsersTable } from './schema'
import { appendLog, fromCaseRow, KyselySyncTx, lockLog, logOf, maxSeq, pull, writeAudit } from './kysely-sync'
import { queryMetricSums } from './kysely-metrics'
import { queryBatches, queryQueue } from './kysely-queue'
import type { AuditEntry, BatchQuery, DeviceRecord, MetricsQuery, QueueQuery, NewUser, PullQuery, Storage, StorageKind, SyncTx, UserRecord } from './types'

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
        // A published version never changes: cases refer to it. Loading the same again is harmless.
        const stored = await trx.selectFrom('items').select('data').where('code', '=', item.code).where('version', '=', item.version).executeTakeFirst()
        if (stored && stored.data !== data) throw new DaibanError(ErrorCode.conflict, `item ${item.code} version ${item.version} exists and cannot change: save the edit as a new version`)
        if (!stored) await trx.insertInto('items').values({ code: item.code, version: item.version, data }).execute()
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

  async reserveLoginAttempt(
    keys: { key: string; windowMs: number }[],
    now: number,
    waitMs: (rows: ({ count: number; lastAt: number } | undefined)[], now: number) => number,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      // SQLite runs one transaction at a time; PostgreSQL instances queue on this lock.
      if (this.kind === 'postgres') await sql`select pg_advisory_xact_lock(7215020)`.execute(trx)
      // The time is read once the lock is held: a request that waited must not move a row's time back.
      const at = Math.max(now, Date.now())
      const found = await trx.selectFrom('login_failures').selectAll().where('key', 'in', keys.map((k) => k.key)).execute()
      const byKey = new Map(found.map((r) => [r.key, { count: Number(r.count), lastAt: Number(r.last_at) }]))
      const rows = keys.map((k) => byKey.get(k.key))
      const wait = waitMs(rows, at)
      if (wait > 0) return wait
      for (const [i, k] of keys.entries()) {
        const prev = rows[i]
        const count = prev && at - prev.lastAt < k.windowMs ? prev.count + 1 : 1
        const lastAt = Math.max(prev?.lastAt ?? 0, at)
        await trx
          .insertInto('login_failures')
          .values({ key: k.key, count, last_at: lastAt })
          .onConflict((oc) => oc.column('key').doUpdateSet({ count, last_at: lastAt }))
          .execute()
      }
      return 0
    })
  }

  async touchLoginFailures(keys: string[], now: number) {
    await this.db.updateTable('login_failures').set({ last_at: now }).where('key', 'in', keys).where('last_at', '<', now).execute()
  }

  async pruneLoginFailures(before: number): Promise<number> {
    const r = await this.db.deleteFrom('login_failures').where('last_at', '<', before).executeTakeFirst()
    return Number(r.numDeletedRows ?? 0)
  }

  async enrolDevice(d: Omit<DeviceRecord, 'deviceNumber' | 'createdAt' | 'revokedAt' | 'highestPaperSeqAtRevocation'>): Promise<DeviceRecord> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.getDevice(d.id)
      if (existing) return existing
      try {
        return await this.db.transaction().execute(async (trx) => {
          await lockLog(trx, this.kind) // rare, and numbers are then handed out one at a time
          const max = await trx
            .selectFrom('devices')
            .select((eb) => eb.fn.max('device_number').as('n'))
            .where('village_code', '=', d.villageCode)
            .executeTakeFirst()
          const record: DeviceRecord = { ...d, deviceNumber: Number(max?.n ?? 0) + 1, createdAt: Date.now(), revokedAt: null, highestPaperSeqAtRevocation: null }
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
      revokedAt: row.revoked_at === null || row.revoked_at === undefined ? null : Number(row.revoked_at),
      highestPaperSeqAtRevocation:
        row.highest_paper_seq_at_revocation === null || row.highest_paper_seq_at_revocation === undefined ? null : Number(row.highest_paper_seq_at_revocation),
    }
  }

  async revokeDevice(id: string, at: number, highestPaperSeq: number | null) {
    await this.db
      .updateTable('devices')
      .set({ revoked_at: at, highest_paper_seq_at_revocation: highestPaperSeq })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute()
    return this.getDevice(id)
  }

  async setHighestPaperSeqAtRevocation(id: string, seq: number) {
    await this.db.updateTable('devices').set({ highest_paper_seq_at_revocation: seq }).where('id', '=', id).execute()
  }

  async deviceEscrowKey(deviceId: string, userId: UserId, fresh: string, now: number) {
    await this.db
      .insertInto('device_escrow')
      .values({ device_id: deviceId, user_id: userId, key: fresh, created_at: now })
      .onConflict((oc) => oc.columns(['device_id', 'user_id']).doNothing())
      .execute()
    const row = await this.db.selectFrom('device_escrow').select('key').where('device_id', '=', deviceId).where('user_id', '=', userId).executeTakeFirstOrThrow()
    return row.key
  }

  async markDeviceErased(deviceId: string, at: number) {
    const r = await this.db.updateTable('devices').set({ erased_at: at }).where('id', '=', deviceId).where('revoked_at', 'is not', null).where('erased_at', 'is', null).executeTakeFirst()
    return Number(r.numUpdatedRows ?? 0) > 0
  }

  async setUserDisabled(id: UserId, disabled: boolean) {
    await this.db.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', id).execute()
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

  // ---- sync ----

  syncTransaction<T>(fn: (tx: SyncTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await lockLog(trx, this.kind)
      return fn(new KyselySyncTx(trx))
    })
  }

  async getBatch(userId: string, id: string) {
    const row = await this.db.selectFrom('batches').select('response').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst()
    return row?.response
  }

  async getCase(id: string) {
    const row = await this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? fromCaseRow(row) : undefined
  }

  async findCaseByNumber(number: string) {
    const row = await this.db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirst()
    return row ? fromCaseRow(row) : undefined
  }

  caseLog(caseId: string, afterSeq = 0) {
    return logOf(this.db, caseId, afterSeq)
  }

  pull(q: PullQuery) {
    return pull(this.db, q)
  }

  async compactCase(caseId: string, upToSeq: number, snapshot: Uint8Array) {
    return this.db.transaction().execute(async (trx) => {
      await lockLog(trx, this.kind)
      const row = await trx.selectFrom('cases').select(['village', 'township', 'county', 'audience']).where('id', '=', caseId).executeTakeFirst()
      if (!row) return null
      const { audience, ...c } = row
      // Numbered before deleting: the log's highest sequence number must never go down, or a
      // device whose cursor is past it would miss what comes next.
      const seq = (await maxSeq(trx)) + 1
      const removed = await trx.deleteFrom('updates').where('case_id', '=', caseId).where('seq', '<=', upToSeq).executeTakeFirst()
      if (Number(removed.numDeletedRows) === 0) return null
      await appendLog(trx, [{ seq, caseId: caseId as never, ...c, audience, origin: 'snapshot', deviceId: 'server', userId: 'server', data: snapshot, createdAt: Date.now() }])
      await trx.updateTable('cases').set({ head_seq: seq }).where('id', '=', caseId).execute()
      await writeAudit(trx, [{ caseId, seq, userId: 'server', deviceId: 'server', action: 'compact', detail: { upToSeq, removed: Number(removed.numDeletedRows) }, at: Date.now() }])
      return seq
    })
  }

  /** Audit rows outside a push (administration), chained under the log lock like the push's. */
  async appendAudit(entries: AuditEntry[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockLog(trx, this.kind)
      await writeAudit(trx, entries)
    })
  }

  async auditOf(caseId: string): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit').selectAll().where('case_id', '=', caseId).orderBy('id').execute()
    return rows.map((r) => ({ caseId: r.case_id, seq: r.seq === null ? null : Number(r.seq), userId: r.user_id, deviceId: r.device_id, action: r.action, detail: JSON.parse(r.detail), at: Number(r.at) }))
  }

  async casesWithLongLogs(minEntries: number, limit: number) {
    const rows = await this.db
      .selectFrom('updates')
      .select('case_id')
      .groupBy('case_id')
      .having((eb) => eb.fn.countAll(), '>=', minEntries)
      .limit(limit)
      .execute()
    return rows.map((r) => r.case_id)
  }

  async countLog() {
    const row = await this.db.selectFrom('updates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  headSeq() {
    return maxSeq(this.db)
  }

  // ---- blobs ----

  queue(q: QueueQuery) {
    return queryQueue(this.db, q)
  }

  batches(q: BatchQuery) {
    return queryBatches(this.db, q)
  }

  metricSums(q: MetricsQuery) {
    return queryMetricSums(this.db, this.kind, q)
  }

  recordAudit(entries: AuditEntry[]) {
    return writeAudit(this.db, entries)
  }

  async blobInfo(hash: string) {
    const blob = await this.db.selectFrom('blobs').select('size').where('hash', '=', hash).executeTakeFirst()
    return blob ? { complete: true, size: Number(blob.size), received: Number(blob.size) } : undefined
  }

  async uploadInfo(hash: string, userId: string) {
    const parts = await this.db
      .selectFrom('blob_uploads')
      .select([sql<number>`sum(length(data))`.as('received'), sql<number>`max(total)`.as('total')])
      .where('hash', '=', hash)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (!parts || parts.total === null) return undefined
    return { complete: false, size: Number(parts.total), received: Number(parts.received ?? 0) }
  }

  async putBlobChunk(hash: string, userId: string, offset: number, total: number, data: Uint8Array) {
    await this.db
      .insertInto('blob_uploads')
      .values({ hash, user_id: userId, offset, total, data: Buffer.from(data), updated_at: Date.now() })
      .onConflict((oc) => oc.columns(['hash', 'user_id', 'offset']).doNothing())
      .execute()
  }

  async blobChunks(hash: string, userId: string) {
    const rows = await this.db
      .selectFrom('blob_uploads')
      .select(['offset', 'data'])
      .where('hash', '=', hash)
      .where('user_id', '=', userId)
      .orderBy('offset')
      .execute()
    return Buffer.concat(rows.map((r) => r.data))
  }

  async completeBlob(hash: string, userId: string, data: Uint8Array) {
    await this.db.transaction().execute(async (trx) => {
      const now = Date.now()
      await trx
        .insertInto('blobs')
        .values({ hash, size: data.byteLength, data: Buffer.from(data), created_at: now })
        .onConflict((oc) => oc.column('hash').doNothing())
        .execute()
      await trx
        .insertInto('blob_owners')
        .values({ hash, user_id: userId, at: now })
        .onConflict((oc) => oc.columns(['hash', 'user_id']).doNothing())
        .execute()
      await trx.deleteFrom('blob_uploads').where('hash', '=', hash).where('user_id', '=', userId).execute()
    })
  }

  async discardBlobChunks(hash: string, userId: string) {
    await this.db.deleteFrom('blob_uploads').where('hash', '=', hash).where('user_id', '=', userId).execute()
  }

  async isBlobOwner(hash: string, userId: string) {
    const row = await this.db.selectFrom('blob_owners').select('hash').where('hash', '=', hash).where('user_id', '=', userId).executeTakeFirst()
    return row !== undefined
  }

  async unlinkedBytesOf(userId: string) {
    const partial = await this.db
      .selectFrom('blob_uploads')
      .select(sql<number>`coalesce(sum(length(data)), 0)`.as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst()
    const unlinked = await this.db
      .selectFrom('blob_owners')
      .innerJoin('blobs', 'blobs.hash', 'blob_owners.hash')
      .select(sql<number>`coalesce(sum(blobs.size), 0)`.as('n'))
      .where('blob_owners.user_id', '=', userId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('case_blobs').select('case_blobs.hash').whereRef('case_blobs.hash', '=', 'blob_owners.hash'))))
      .executeTakeFirst()
    return Number(partial?.n ?? 0) + Number(unlinked?.n ?? 0)
  }

  async pruneStaleUploads(before: number) {
    const stale = await this.db
      .selectFrom('blob_uploads')
      .select(['hash', 'user_id'])
      .groupBy(['hash', 'user_id'])
      .having((eb) => eb.fn.max('updated_at'), '<', before)
      .execute()
    for (const s of stale) await this.discardBlobChunks(s.hash, s.user_id)
    // Left from before uploads were kept per uploader.
    await this.db.deleteFrom('blob_chunks').where('updated_at', '<', before).execute()
    return stale.length
  }

  async pruneUnlinkedBlobs(before: number) {
    return this.db.transaction().execute(async (trx) => {
      const gone = await trx
        .selectFrom('blobs')
        .select('hash')
        .where('created_at', '<', before)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('case_blobs').select('case_blobs.hash').whereRef('case_blobs.hash', '=', 'blobs.hash'))))
        .execute()
      for (let i = 0; i < gone.length; i += 300) {
        const hashes = gone.slice(i, i + 300).map((g) => g.hash)
        await trx.deleteFrom('blobs').where('hash', 'in', hashes).execute()
        await trx.deleteFrom('blob_owners').where('hash', 'in', hashes).execute()
      }
      return gone.length
    })
  }

  async getBlob(hash: string) {
    return (await this.db.selectFrom('blobs').select('data').where('hash', '=', hash).executeTakeFirst())?.data
  }

  async blobsOfCase(caseId: string) {
    const rows = await this.db
      .selectFrom('case_blobs')
      .leftJoin('blobs', 'blobs.hash', 'case_blobs.hash')
      .select(['case_blobs.hash as hash', 'blobs.size as size'])
      .where('case_blobs.case_id', '=', caseId)
      .orderBy('case_blobs.hash')
      .execute()
    return rows.map((r) => ({ hash: r.hash, present: r.size !== null }))
  }

  async casesOfBlob(hash: string) {
    const rows = await this.db.selectFrom('case_blobs').select('case_id').where('hash', '=', hash).execute()
    return rows.map((r) => r.case_id)
  }
}
