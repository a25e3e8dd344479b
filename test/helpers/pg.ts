// A throwaway PostgreSQL database per test file, dropped afterwards. Tests that need PostgreSQL
// are skipped (loudly, by scripts/test.ts) when TEST_DATABASE_URL is not set.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL

export function hasPostgres(): boolean {
  return Boolean(PG_ADMIN_URL)
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function createTempDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!PG_ADMIN_URL) throw new Error('TEST_DATABASE_URL is not set')
  const name = `daiban_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return {
    url: withDatabase(PG_ADMIN_URL, name),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
