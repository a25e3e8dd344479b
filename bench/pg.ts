// PostgreSQL for the benches: the admin connection (TEST_DATABASE_URL or the local default) and
// throw-away databases created on it and dropped when a bench is done with them.

import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const PG_ADMIN = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

/** Whether the admin connection can be opened (within 2 s). */
export async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 })
  try {
    await c.connect()
    return true
  } catch {
    return false
  } finally {
    await c.end().catch(() => {})
  }
}

/** A fresh, empty database: its URL, and how to drop it (forcing out open connections). */
export async function pgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `daiban_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_ADMIN })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(PG_ADMIN)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
