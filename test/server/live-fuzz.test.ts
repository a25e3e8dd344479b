import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { CaseRoots, type CaseId } from '../../src/core'
import { serverDoc } from '../helpers/convergence'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const ROUNDS = 12
const PER_ROUND = 25

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

/** One generated message of any y-protocols type: valid, forged, truncated or garbage. */
function messageArb(base: Y.Doc): fc.Arbitrary<Uint8Array> {
  const forged = fc.tuple(fc.constantFrom(...CaseRoots), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 })).map(([root, key, value]) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
    const sv = Y.encodeStateVector(doc)
    doc.getMap(root).set(key || 'k', value)
    const update = Y.encodeStateAsUpdate(doc, sv)
    return frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update)))
  })
  const bytes = fc.uint8Array({ maxLength: 300 })
  return fc.oneof(
    forged,
    bytes,
    bytes.map((b) => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, b)))),
    bytes.map((b) => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, b)))),
    bytes.map((b) => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, b)))),
    bytes.map((b) => frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, b)))),
    fc.constant(frame((e) => encoding.writeVarUint(e, 3))),
    fc.constant(frame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, base)))),
    fc.integer({ min: 4, max: 1000 }).map((t) => frame((e) => encoding.writeVarUint(e, t))),
    forged.map((m) => m.subarray(0, Math.max(1, m.length >> 1))),
  )
}

for (const storage of storages) {
  describe(`live message fuzz (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage)
    })
    afterAll(async () => srv?.stop())

    it('survives generated y-protocols messages of every type; the case stays intact and devices keep syncing', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = (await takeInCase(agent, itemNamed(agent, '临时救助'), 91)) as CaseId
      await agent.engine.sync()
      const before = await serverDoc(srv.storage, caseId)
      const content = (d: Y.Doc) => JSON.stringify(['meta', 'form', 'materials', 'workflow'].map((r) => d.getMap(r).toJSON()))
      const tokens = [await srv.login('township'), await srv.login('agent')]
      const messages = fc.sample(messageArb(before), { numRuns: ROUNDS * PER_ROUND, seed: 20270501 })
      for (let round = 0; round < ROUNDS; round++) {
        const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/yjs/${caseId}?token=${encodeURIComponent(tokens[round % 2]!)}`)
        const closed = new Promise<void>((r) => ws.once('close', () => r()))
        ws.on('error', () => {})
        ws.on('message', () => {})
        await new Promise<void>((r) => (ws.once('open', () => r()), ws.once('close', () => r())))
        for (const m of messages.slice(round * PER_ROUND, (round + 1) * PER_ROUND)) if (ws.readyState === ws.OPEN) ws.send(m)
        await new Promise((r) => setTimeout(r, 200))
        ws.close()
        await closed
      }
      expect((await srv.api('/api/health')).status).toBe(200)
      // Nothing forged reached the stored case (township may not write these roots; the agent's
      // forged writes to a submitted case are refused too).
      expect(content(await serverDoc(srv.storage, caseId))).toBe(content(before))
      // The agent's device and a fresh township device still sync.
      await agent.store.addNote(caseId, '模糊测试之后')
      await agent.engine.sync()
      const township = await newDevice(srv.url, 'township')
      await township.engine.sync()
      expect((await township.db.cases.get(caseId))?.status).toBe('submitted')
      expect(content(await township.store.doc(caseId))).toBe(content(before))
    }, 120_000)
  })
}
