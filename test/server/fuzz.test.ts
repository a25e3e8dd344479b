// Fuzz (issue 8, "Also"): random and garbage command payloads of every type through POST
// /api/sync, and every WebSocket message type on /yjs/<caseId> and /api/live (y-protocols sync
// step 1 and 2, update, awareness, query-awareness, unknown types, garbage bytes, oversize frames).
// Bounded in count, seeded so a failure repeats. The server must stay up with bounded memory, never
// answer 5xx, and every device of the scope must still sync cleanly afterwards.
import fc from 'fast-check'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { CommandTypes, readForm, type CaseId } from '../../src/core'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { deepJson, postSync, rawFrame } from '../helpers/raw-sync'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const SEED = 20261203
const COMMAND_RUNS = 100
const SOCKET_RUNS = 80
const MAX_RSS_GROWTH = 300 * 1024 * 1024
type Who = 'agent' | 'township' | 'county'
const SCOPES: Who[] = ['agent', 'township', 'county']

/** A command-shaped object: a real type, its real fields with random values, sometimes extra fields. */
const commandPayload = fc
  .record({
    type: fc.oneof(fc.constantFrom(...CommandTypes), fc.jsonValue()),
    at: fc.oneof(fc.constant(new Date().toISOString()), fc.jsonValue()),
    fields: fc.dictionary(
      fc.oneof(fc.constantFrom('reason', 'appeal', 'corrections', 'due', 'decision', 'method', 'rating', 'comment', 'procedure', 'takeOver', '__proto__', 'constructor'), fc.string({ maxLength: 12 })),
      fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(1, 5, 'approved', 'denied', 'agent', 'public_notice', true, '2026-03-02'), fc.constant([{ label: '身份证', reason: '不清晰' }])),
      { maxKeys: 4 },
    ),
  })
  .map(({ type, at, fields }) => JSON.stringify({ type, at, ...fields }))

/** Command JSON texts: structured, deep, huge, or not an object at all. */
const commandJson = fc.oneof(
  { weight: 8, arbitrary: commandPayload },
  { weight: 1, arbitrary: fc.constantFrom(...CommandTypes).map((t) => `{"type":"${t}","at":"${new Date().toISOString()}","x":${deepJson(3000)}}`) },
  { weight: 1, arbitrary: fc.constantFrom(...CommandTypes).map((t) => `{"type":"${t}","at":"${new Date().toISOString()}","reason":"${'长'.repeat(300_000)}"}`) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
)

function frame(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}

/** An update that writes where no client may (workflow), one that adds a nested type, and a note. */
function updates(): Uint8Array[] {
  const forbidden = new Y.Doc()
  forbidden.getMap('workflow').set('state', { status: 'completed' })
  const nested = new Y.Doc()
  nested.getMap('notes').set('abcdefgh12', new Y.Map())
  const foreign = new Y.Doc()
  foreign.getArray('elsewhere').push([deepJson(50)])
  return [Y.encodeStateAsUpdate(forbidden), Y.encodeStateAsUpdate(nested), Y.encodeStateAsUpdate(foreign)]
}

/** Every kind of WebSocket message a client could send to /yjs. */
function yjsMessage(): fc.Arbitrary<Uint8Array | string> {
  const bytes = fc.uint8Array({ maxLength: 300 })
  const awarenessUpdate = (() => {
    const doc = new Y.Doc()
    const a = new awarenessProtocol.Awareness(doc)
    a.setLocalState({ user: { name: '张窗口' }, cursor: deepJson(20) })
    return awarenessProtocol.encodeAwarenessUpdate(a, [doc.clientID])
  })()
  return fc.oneof(
    bytes.map((sv) => frame(0, (e) => (encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1), encoding.writeVarUint8Array(e, sv)))),
    fc.constant(frame(0, (e) => syncProtocol.writeSyncStep1(e, new Y.Doc()))),
    fc.tuple(fc.constantFrom(syncProtocol.messageYjsSyncStep2, syncProtocol.messageYjsUpdate), fc.oneof(bytes, fc.constantFrom(...updates()))).map(([step, u]) =>
      frame(0, (e) => (encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, u))),
    ),
    fc.oneof(fc.constant(awarenessUpdate), bytes).map((u) => frame(1, (e) => encoding.writeVarUint8Array(e, u))),
    fc.constant(frame(3, () => {})),
    fc.tuple(fc.integer({ min: 4, max: 2 ** 30 }), bytes).map(([t, b]) => frame(t, (e) => encoding.writeUint8Array(e, b))),
    bytes,
    fc.string({ maxLength: 200 }),
    fc.constant(new Uint8Array(0)),
  )
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('open', () => resolve(ws))
    ws.on('error', reject)
  })
}

/**
 * A stock client in the room: applies every message it receives the way y-websocket does and
 * counts those it cannot read (whatever one client sends, the others must get only valid messages).
 */
async function listener(url: string): Promise<{ ws: WebSocket; unreadable: () => number }> {
  const ws = await open(url)
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  let unreadable = 0
  ws.on('message', (data: Buffer) => {
    try {
      const d = decoding.createDecoder(new Uint8Array(data))
      const type = decoding.readVarUint(d)
      if (type === 0) syncProtocol.readSyncMessage(d, encoding.createEncoder(), doc, 'server')
      else if (type === 1) awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(d), 'server')
      else unreadable++
    } catch {
      unreadable++
    }
  })
  return { ws, unreadable: () => unreadable }
}

/** Sends messages on one socket (reopening it when the server closes it) and waits for the last to land. */
async function barrage(url: string, messages: (Uint8Array | string)[]): Promise<number> {
  let ws = await open(url)
  let closes = 0
  for (const m of messages) {
    if (ws.readyState !== WebSocket.OPEN) {
      closes++
      ws = await open(url)
    }
    ws.send(m)
  }
  ws.close()
  // An oversize frame on a fresh socket: the server refuses it (1009) and stays up.
  const big = await open(url)
  const code = await new Promise<number>((resolve) => {
    big.on('close', (c) => resolve(c))
    big.on('error', () => {})
    big.send(new Uint8Array(3 * 1024 * 1024))
  })
  expect(code).toBe(1009)
  return closes
}

for (const storage of storages) {
  describe(`fuzz (${storage})`, () => {
    let srv: TestServer
    const tokens = {} as Record<Who, string>
    let cases: CaseId[] = []
    beforeAll(async () => {
      srv = await startTestServer(storage)
      for (const who of SCOPES) tokens[who] = await srv.login(who)
      const agent = await newDevice(srv.url, 'agent')
      cases = [await takeInCase(agent, itemNamed(agent, '最低生活保障'), 51), await takeInCase(agent, itemNamed(agent, '临时救助'), 52)]
      await agent.engine.sync()
    })
    afterAll(async () => srv?.stop())

    it('stays up with bounded memory through garbage commands and socket messages, and every device still syncs', async () => {
      const baseline = process.memoryUsage().rss
      let peak = baseline
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
      try {
        // Commands over POST /api/sync.
        const texts = fc.sample(commandJson, { numRuns: COMMAND_RUNS, seed: SEED })
        const statuses = new Map<number, number>()
        for (let i = 0; i < texts.length; i++) {
          const r = await postSync(srv.url, tokens[SCOPES[i % 3]!], rawFrame([{ caseId: cases[i % 2]!, json: texts[i]! }]))
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
          expect({ i, status: r.status, text: r.text.slice(0, 200) }).toMatchObject({ status: expect.toSatisfy((s: number) => s === 200 || s === 400) })
          const a = r.header?.commands[0]
          if (a && !a.ok) expect(a.message.length).toBeLessThan(300)
        }
        expect(statuses.get(200)).toBeGreaterThan(COMMAND_RUNS / 2)

        // WebSocket messages on /yjs/<caseId> and /api/live.
        const ws = srv.url.replace('http', 'ws')
        const messages = fc.sample(yjsMessage(), { numRuns: SOCKET_RUNS, seed: SEED })
        const other = await listener(`${ws}/yjs/${cases[0]}?token=${tokens.township}`)
        await barrage(`${ws}/yjs/${cases[0]}?token=${tokens.township}`, messages)
        expect(other.ws.readyState).toBe(WebSocket.OPEN)
        expect(other.unreadable()).toBe(0)
        other.ws.close()
        await barrage(`${ws}/yjs/${cases[1]}?token=${tokens.agent}`, messages)
        await barrage(`${ws}/api/live?token=${tokens.township}`, messages.slice(0, 40))
      } finally {
        clearInterval(sampler)
      }
      expect(peak - baseline).toBeLessThan(MAX_RSS_GROWTH)

      // The server is up and every device of the scope syncs cleanly.
      expect((await srv.api('/api/health')).status).toBe(200)
      for (const w of SCOPES) {
        const device = await newDevice(srv.url, w)
        const r = await device.engine.sync()
        expect({ w, rejected: r.rejected, undecodable: r.undecodable }).toEqual({ w, rejected: 0, undecodable: 0 })
        if (w !== 'county') expect(readForm(await device.store.doc(cases[0]!)).applicant_name).toBeTruthy()
      }
      const agent = await newDevice(srv.url, 'agent')
      const again = await takeInCase(agent, itemNamed(agent, '临时救助'), 53)
      expect(await agent.engine.sync()).toMatchObject({ rejected: 0, pushedCases: 1 })
      expect((await srv.storage.getCase(again))?.status).toBe('submitted')
    })
  })
}
