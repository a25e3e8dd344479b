import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../sync-server/limits/connections'
import { jsonFrom } from '../helpers/from-address'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const CAP = 20

function open(url: string, localAddress: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port), localAddress })
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    socket.once('connect', () => resolve({ socket, closed }))
    socket.once('error', reject)
  })
}

for (const storage of storages) {
  describe(`connection limits (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage, { maxConnectionsPerAddress: CAP })
    })
    afterAll(async () => srv?.stop())

    it('sets request and header timeouts for slow links, not the platform defaults', () => {
      expect(srv.server.headersTimeout).toBe(HEADERS_TIMEOUT_MS)
      expect(srv.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS)
      expect(HEADERS_TIMEOUT_MS).toBeLessThan(66_000)
    })

    it('closes connections from one address past the cap, and serves other addresses', async () => {
      const held = await Promise.all(Array.from({ length: CAP }, () => open(srv.url, '127.0.0.11')))
      // Half-sent requests, as a slow-loris client holds them.
      for (const h of held) h.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n')
      const extra = await open(srv.url, '127.0.0.11')
      await extra.closed
      expect(extra.socket.destroyed).toBe(true)
      expect((await jsonFrom('127.0.0.12', `${srv.url}/api/health`, 'GET')).status).toBe(200)
      for (const h of held) h.socket.destroy()
      await Promise.all(held.map((h) => h.closed))
      // Room again once they are gone.
      await new Promise((r) => setTimeout(r, 50))
      expect((await jsonFrom('127.0.0.11', `${srv.url}/api/health`, 'GET')).status).toBe(200)
    })
  })
}
