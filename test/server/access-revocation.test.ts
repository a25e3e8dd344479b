import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { UserId } from '../../src/core'
import { startServer, type RunningServer } from '../../sync-server/app'
import { CloseCode } from '../../sync-server/live/socket-watch'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { connectStock, until } from '../helpers/live'
import { startTestServer, tempDir, type StorageChoice, type TestServer } from '../helpers/server'
import { serverDoc } from '../helpers/convergence'
import { readNotes, type CaseId } from '../../src/core'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

function openSocket(url: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })))
    ws.once('open', () => resolve({ ws, closed }))
    ws.once('error', reject)
  })
}

const wsUrl = (srv: { url: string }, path: string, token: string) => `${srv.url.replace('http', 'ws')}${path}?token=${encodeURIComponent(token)}`

for (const storage of storages) {
  describe(`account and socket revocation (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    })
    afterAll(async () => srv?.stop())

    it('stops a disabled account\'s token on every route and closes its sockets at once', async () => {
      const agent = await newDevice(srv.url, 'agent2')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 61)
      await agent.engine.sync()
      const token = await srv.login('agent2')
      const live = await openSocket(wsUrl(srv, '/api/live', token))
      const room = await openSocket(wsUrl(srv, `/yjs/${caseId}`, token))
      const user = (await srv.storage.findUserByUsername('agent2'))!
      // Warm the cache, so the change must invalidate it.
      expect((await srv.api('/api/catalogue', { token })).status).toBe(200)

      await srv.ctx.guard.setUserDisabled(user.id, true)

      for (const path of ['/api/catalogue', '/api/org', `/api/cases/${caseId}/blobs`, '/api/me']) {
        const res = await srv.api(path, { token })
        expect(res.status, path).toBe(401)
      }
      const sync = await srv.api('/api/sync', { method: 'POST', token, body: new Uint8Array([1]) as BodyInit, headers: { 'content-type': 'application/x-daiban-sync' } })
      expect(sync.status).toBe(401)
      expect((await sync.json()).error.code).toBe('account_disabled')
      expect(await live.closed).toEqual({ code: CloseCode.accessRevoked, reason: 'account_disabled' })
      expect(await room.closed).toEqual({ code: CloseCode.accessRevoked, reason: 'account_disabled' })
      await expect(openSocket(wsUrl(srv, '/api/live', token))).rejects.toThrow(/401/)

      await srv.ctx.guard.setUserDisabled(user.id, false)
      expect((await srv.api('/api/catalogue', { token })).status).toBe(200)
    })

    it('closes /api/live and /yjs sockets when their token expires, and a note written after that is not stored', async () => {
      const short = await startTestServer(storage, { tokenTtlSeconds: 2 })
      try {
        const agent = await newDevice(short.url, 'agent')
        const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 62)
        await agent.engine.sync()
        const token = await short.login('township')
        const live = await openSocket(wsUrl(short, '/api/live', token))
        const stock = connectStock(short, caseId, token)
        await until(() => stock.provider.synced)
        const closes: number[] = []
        stock.provider.on('connection-close', (e: { code: number } | null) => void (e && closes.push(e.code)))
        expect((await live.closed).code).toBe(CloseCode.tokenExpired)
        await until(() => closes.includes(CloseCode.tokenExpired))
        // The stock client keeps its document and tries again with the expired token: refused.
        stock.doc.getMap('notes').set('note-after-expiry', { id: 'note-after-expiry', by: 'x', role: 'township', at: new Date().toISOString(), text: '过期后写的' })
        await new Promise((r) => setTimeout(r, 500))
        stock.provider.destroy()
        const stored = readNotes(await serverDoc(short.storage, caseId as CaseId))
        expect(stored.map((n) => n.id)).not.toContain('note-after-expiry')
      } finally {
        await short.stop()
      }
    })

    if (storage === 'postgres')
      it('tells another instance on the same database: its cache is dropped and its sockets closed', async () => {
        const tmp = tempDir()
        const other: RunningServer = await startServer({ ...srv.ctx.config, port: 0, dataDir: tmp.dir, demoData: false }, pino({ level: 'silent' }))
        try {
          const token = await srv.login('agent2')
          const res = await fetch(`${other.url}/api/catalogue`, { headers: { authorization: `Bearer ${token}` } })
          expect(res.status).toBe(200)
          const live = await openSocket(wsUrl(other, '/api/live', token))
          const user = (await srv.storage.findUserByUsername('agent2'))!
          await srv.ctx.guard.setUserDisabled(user.id as UserId, true)
          expect(await live.closed).toEqual({ code: CloseCode.accessRevoked, reason: 'account_disabled' })
          const after = await fetch(`${other.url}/api/catalogue`, { headers: { authorization: `Bearer ${token}` } })
          expect(after.status).toBe(401)
          await srv.ctx.guard.setUserDisabled(user.id as UserId, false)
        } finally {
          await other.close()
          tmp.remove()
        }
      })
  })
}
