// Picks the storage from configuration: PostgreSQL when a DATABASE_URL is given, else SQLite.

import { openPostgres } from './postgres'
import { openSqlite } from './sqlite'
import type { Storage } from './types'

export type { Storage, StorageKind, UserRecord, NewUser, DeviceRecord } from './types'

export async function openStorage(opts: { dataDir: string; databaseUrl?: string }): Promise<Storage> {
  const storage = opts.databaseUrl ? (await openPostgres(opts.databaseUrl)).storage : openSqlite(opts.dataDir)
  await storage.migrate()
  return storage
}
