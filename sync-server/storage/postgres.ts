// Scaled mode: many server instances share one PostgreSQL database (DATABASE_URL).

import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import type { Database } from './schema'
import { KyselyStorage } from './kysely-storage'

const INT8 = 20

export interface PostgresHandle {
  storage: KyselyStorage
  pool: pg.Pool
}

export async function openPostgres(url: string, poolSize = 10): Promise<PostgresHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    // Times and sequence numbers are int8; they stay below 2^53, so plain numbers are exact.
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) },
  })
  // An idle connection dropped by the server (restart, failover, admin command) must not take the
  // process down: the pool discards it and opens a new one on the next query.
  pool.on('error', () => {})
  // Fail fast with the real reason when the database cannot be reached.
  const client = await pool.connect()
  client.release()
  const storage = new KyselyStorage('postgres', new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }))
  return { storage, pool }
}
