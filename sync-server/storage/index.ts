// Picks the storage from configuration: PostgreSQL when a DATABASE_URL is given, else SQLite.

import type pg from 'pg'
import { openPostgres } from './postgres'
import { openSqlite } from './sqlite'
import type { Storage } from './types'

export type * from './types'

export interface OpenedStorage {
  storage: Storage
  /** Present with PostgreSQL: live notifications between instances use it. */
  pool?: pg.Pool
}

export async function openStorage(opts: { dataDir: string; databaseUrl?: string }): Promise<OpenedStorage> {
  const opened: OpenedStorage = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : { storage: openSqlite(opts.dataDir) }
  await opened.storage.migrate()
  return opened
}
