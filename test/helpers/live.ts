// Live-collaboration tests: waiting for what arrives over a socket, and a stock y-websocket client
// connected to the test server's /yjs endpoint as a browser tab would be.
import { afterAll, beforeAll } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startTestServer, type StorageChoice, type TestServer } from './server'

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

export interface LiveServer {
  /** Set once `beforeAll` has run: read it inside tests. */
  srv: TestServer
  /** A stock client (see connectStock), destroyed after the describe block. */
  connect(caseId: string, token: string): { doc: Y.Doc; provider: WebsocketProvider }
}

/** A test server for the enclosing describe block, with the stock clients its tests connect. */
export function useLiveServer(storage: StorageChoice): LiveServer {
  const providers: WebsocketProvider[] = []
  const env: LiveServer = {
    srv: undefined as unknown as TestServer,
    connect(caseId, token) {
      const c = connectStock(env.srv, caseId, token)
      providers.push(c.provider)
      return c
    },
  }
  beforeAll(async () => {
    env.srv = await startTestServer(storage)
  })
  afterAll(async () => {
    for (const p of providers) p.destroy()
    await env.srv?.stop()
  })
  return env
}
