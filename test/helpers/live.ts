// Live-collaboration tests: waiting for what arrives over a socket, and a stock y-websocket client
// connected to the test server's /yjs endpoint as a browser tab would be.
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** Resolves once `check` holds; rejects when it has not within `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A stock y-websocket client on one case's document, signed in with `token`. */
export function connectStock(srv: { url: string }, caseId: string, token: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(srv.url.replace('http', 'ws') + '/yjs', caseId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  return { doc, provider }
}
