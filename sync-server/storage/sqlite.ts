// Embedded default: one SQLite file in the data folder, WAL mode, synchronous=FULL so that a
// transaction that has been acknowledged survives a crash or a power cut.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely'
import type { Database } from './schema'
import { KyselyStorage } from './kysely-storage'

export const SQLITE_FILE = 'daiban.sqlite'
const STATEMENT_CACHE = 400

/** Kysely prepares every query anew; the same few statements run thousands of times per push. */
function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql)
      if (!stmt) {
        if (cache.size >= STATEMENT_CACHE) cache.clear()
        stmt = db.prepare(sql) as unknown as SqliteStatement
        cache.set(sql, stmt)
      }
      return stmt
    },
  }
}

export function openSqlite(dataDir: string): KyselyStorage {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, SQLITE_FILE)
  const sqlite = new BetterSqlite3(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  return new KyselyStorage('sqlite', new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }))
}
