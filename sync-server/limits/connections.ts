// Timeouts sized for a village's 2G/3G link, and a cap on connections per address, so that slow
// or idle sockets cannot pile up. The figures behind them are in docs/security.md ("Slow links").
//
// The slowest honest request is a photo chunk: at most 1 MiB is accepted per PUT (the device sends
// 256 KiB). On GPRS/EDGE the uplink carries about 35–50 kbit/s, so 1 MiB takes 170–240 s; a full
// 500-case push is 131 KB gzipped, about 30 s. Headers are a few hundred bytes: seconds, even on 2G.

import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/** The whole request, headers and body (a 1 MiB chunk at 35 kbit/s is 240 s). */
export const REQUEST_TIMEOUT_MS = 240_000
/** Request headers must be complete by then. */
export const HEADERS_TIMEOUT_MS = 20_000
/** A kept-alive connection stays open this long without a request (longer than common proxies' idle timeouts). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000
/** A socket with no traffic at all for this long is closed. */
export const IDLE_SOCKET_MS = 120_000
/** Connections at once from one address (a township office behind one NAT has a few dozen devices). */
export const MAX_CONNECTIONS_PER_ADDRESS = 64

/** Given to http.createServer: the timeouts must be set when the server is made (Node arms its checks then). */
export const SERVER_TIMEOUTS = { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS } as const

export function applyConnectionLimits(server: Server, perAddress = MAX_CONNECTIONS_PER_ADDRESS): { open(address: string): number } {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  server.setTimeout(IDLE_SOCKET_MS, (socket: Socket) => socket.destroy())
  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown'
    const n = (open.get(address) ?? 0) + 1
    if (n > perAddress) {
      socket.destroy()
      return
    }
    open.set(address, n)
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1
      if (left <= 0) open.delete(address)
      else open.set(address, left)
    })
  })
  return { open: (address) => open.get(address) ?? 0 }
}
