// Embedded default: one SQLite file in the data folder, WAL mode, synchronous=FULL so that a
// transaction that has been acknowledged survives a crash or a power cut.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './schema'
import { KyselyStorage } from './kysely-storage'

export const SQLITE_FILE = 'daiban.sqlite'

export function openSqlite(dataDir: string): KyselyStorage {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, SQLITE_FILE)
  const sqlite = new BetterSqlite3(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  return new KyselyStorage('sqlite', new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }))
}
