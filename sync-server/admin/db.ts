// The administration modules query a few tables of their own directly (both storages are Kysely).
import type { Kysely } from 'kysely'
import type { Storage } from '../storage'
import type { Database } from '../storage/schema'

export function dbOf(storage: Storage): Kysely<Database> {
  const db = (storage as unknown as { db?: Kysely<Database> }).db
  if (!db) throw new Error('this storage has no SQL database')
  return db
}
