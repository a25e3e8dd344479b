import { openSqlite } from '../../sync-server/storage/sqlite'
import { tempDir } from '../helpers/server'
import { runStorageContract } from './storage-contract'

runStorageContract('sqlite', async () => {
  const tmp = tempDir()
  return {
    async open() {
      const s = openSqlite(tmp.dir)
      await s.migrate()
      return s
    },
    async cleanup() {
      tmp.remove()
    },
  }
})
