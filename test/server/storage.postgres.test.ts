import { describe, it } from 'vitest'
import { openPostgres } from '../../sync-server/storage/postgres'
import { createTempDatabase, hasPostgres } from '../helpers/pg'
import { runStorageContract } from './storage-contract'

if (hasPostgres()) {
  runStorageContract('postgres', async () => {
    const db = await createTempDatabase()
    return {
      async open() {
        const { storage } = await openPostgres(db.url)
        await storage.migrate()
        return storage
      },
      cleanup: () => db.drop(),
    }
  })
} else {
  describe('storage contract: postgres', () => {
    it.skip('needs TEST_DATABASE_URL (no PostgreSQL reachable)', () => {})
  })
}
