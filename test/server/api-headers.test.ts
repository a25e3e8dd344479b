// API answers carry personal data: no cache may keep them, however the path was spelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server'

describe('api headers', () => {
  let srv: TestServer
  beforeAll(async () => {
    srv = await startTestServer('sqlite')
  })
  afterAll(async () => srv?.stop())

  it('marks API answers no-store, also when the path is percent-escaped', async () => {
    const token = await srv.login('agent')
    for (const path of ['/api/queue', '/%61pi/queue', '/api/%71ueue']) {
      const res = await srv.api(path, { token })
      expect({ path, status: res.status, cache: res.headers.get('cache-control') }).toEqual({ path, status: 200, cache: 'no-store' })
    }
  })
})
