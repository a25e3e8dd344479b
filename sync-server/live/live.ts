// WebSocket endpoints: /yjs/<caseId> (stock y-protocols clients) and /api/live, which tells a
// signed-in device to pull as soon as something in its scope changed, on this server instance
// or on another one sharing the PostgreSQL database.

import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import { WebSocketServer, type WebSocket } from 'ws'
import { canRead, isCaseId, isDaibanError, isWithin, ReadBitOfRole, type Actor } from '../../src/core'
import { actorOf, authenticateActive } from '../auth/authenticate'
import { credentialDevice, livePseudoDevice, presentedCredential } from '../auth/device-credential'
import type { TokenClaims } from '../auth/tokens'
import type { ServerContext } from '../context'
import type { LogChange, Notifier } from '../sync/notifier'
import type { SyncService } from '../sync/service'
import { SocketWatch } from './socket-watch'
import { YjsRooms } from './yjs-rooms'

const PULL_HINT_INTERVAL_MS = 300

function refuse(socket: Duplex, status: number, message: string): void {
  socket.write(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`)
  socket.destroy()
}

export interface Live {
  rooms: YjsRooms
  close(): void
}

export function attachLive(server: Server, ctx: ServerContext, sync: SyncService, notifier: Notifier, log: Logger): Live {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 })
  const rooms = new YjsRooms(ctx.storage, sync, log, notifier, ctx.pool)
  const watch = new SocketWatch(ctx.guard)
  const listeners = new Set<{ socket: WebSocket; actor: Actor; pending: number | null; timer: NodeJS.Timeout | null }>()

  notifier.subscribe((changes: LogChange[]) => {
    for (const l of listeners) {
      const bit = ReadBitOfRole[l.actor.role]
      const relevant = changes.filter((c) => isWithin(c.village, l.actor.scope) && (bit === null || (c.audience & bit) !== 0))
      if (!relevant.length) continue
      l.pending = Math.max(l.pending ?? 0, ...relevant.map((c) => c.seq))
      // Many changes in a burst become one hint.
      l.timer ??= setTimeout(() => {
        l.timer = null
        if (l.socket.readyState === l.socket.OPEN) l.socket.send(JSON.stringify({ type: 'pull', seq: l.pending }))
        l.pending = null
      }, PULL_HINT_INTERVAL_MS)
    }
  })

  /** A socket error (oversized or malformed frame, reset) ends that socket, never the server. */
  const guard = (ws: WebSocket) => ws.on('error', (e) => {
    log.info({ err: e }, 'live socket error')
    ws.terminate()
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    upgrade(req, socket, head).catch((e) => {
      log.warn({ err: e }, 'live upgrade failed')
      if (!socket.destroyed) refuse(socket, 500, 'Internal Server Error')
    })
  })

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
      let url: URL
      try {
        url = new URL(req.url ?? '/', 'http://localhost')
      } catch {
        return refuse(socket, 400, 'Bad Request')
      }
      let actor: Actor
      let claims: TokenClaims
      try {
        claims = await authenticateActive(ctx, req, url)
        actor = actorOf(claims)
      } catch (e) {
        return refuse(socket, 401, isDaibanError(e) ? e.message : 'Unauthorized')
      }
      // A device presents its credential (?device=…); a stock client without one writes as the
      // user's `live-<userId>` pseudo-device.
      let deviceId: string | null = null
      const credential = presentedCredential(req, url)
      if (credential) {
        deviceId = credentialDevice(ctx.secret, credential, claims.sub)
        try {
          if (!deviceId) throw new Error('unknown device')
          await ctx.guard.requireDevice(claims, deviceId)
        } catch (e) {
          return refuse(socket, 403, isDaibanError(e) ? e.message : 'not a device enrolled to this account')
        }
      }
      const yjs = /^\/yjs\/([0-9a-z]{8,40})$/.exec(url.pathname)
      if (yjs) {
        const caseId = yjs[1]!
        const c = isCaseId(caseId) ? await ctx.storage.getCase(caseId) : undefined
        if (!c || !canRead(actor, c.state)) return refuse(socket, 404, 'no such case in your scope')
        wss.handleUpgrade(req, socket, head, (ws) => {
          guard(ws)
          watch.add(ws, claims, deviceId)
          void rooms.join(ws, c.id, actor, () => watch.admits(ws, claims, deviceId), deviceId ?? livePseudoDevice(actor.userId)).catch((e) => {
            log.warn({ err: e }, 'live join failed')
            ws.terminate()
          })
        })
        return
      }
      if (url.pathname === '/api/live') {
        wss.handleUpgrade(req, socket, head, (ws) => {
          guard(ws)
          watch.add(ws, claims, deviceId)
          const l = { socket: ws, actor, pending: null, timer: null }
          listeners.add(l)
          ws.on('close', () => {
            if (l.timer) clearTimeout(l.timer)
            listeners.delete(l)
          })
          ws.send(JSON.stringify({ type: 'hello', scope: actor.scope }))
        })
        return
      }
      refuse(socket, 404, 'Not Found')
  }

  return {
    rooms,
    close() {
      watch.close()
      for (const client of wss.clients) client.terminate()
      wss.close()
    },
  }
}
