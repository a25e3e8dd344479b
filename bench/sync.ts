// npm run bench:sync [-- --n 1000 --storage sqlite]
// Measures the sync path end to end against a real server process: initial push of N cases,
// initial pull by a fresh device, a no-op resync, and a resync after editing 10 % of the cases.
// Bytes are counted on the server's sockets (headers included); RSS is the server's peak.
// The client keeps its outbox in memory and speaks the real protocol through the real HTTP
// transport (gzip included), so the figures are the server's and the wire's, not IndexedDB's.

import { randomBytes } from 'node:crypto'
import { rng } from '../demo/fake-cases'
import type { SyncRequest, UserId, VillageCode } from '../src/core'
import { login, enrolDevice } from '../src/sync/device'
import { httpTransport, type Transport } from '../src/sync/transport'
import { startServerProcess } from '../scripts/lib/server-process'
import { pgAvailable, pgDatabase } from './pg'
import { benchItem, editCase, makeCases, type BenchCase } from './workload'

const BATCH = 500 // the device engine's default request size

function args() {
  const a = process.argv.slice(2)
  const ns: number[] = []
  const storages: string[] = []
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--n') ns.push(...a[++i]!.split(',').map(Number))
    else if (a[i] === '--storage') storages.push(...a[++i]!.split(','))
  }
  return { ns: ns.length ? ns : [1000, 10000], storages: storages.length ? storages : ['sqlite', 'postgres'] }
}

interface Phase {
  ms: number
  up: number
  down: number
}

async function runRow(storage: string, n: number) {
  const db = storage === 'postgres' ? await pgDatabase() : null
  const server = await startServerProcess({ ...(db ? { DATABASE_URL: db.url } : {}) }).catch(async (e) => {
    await db?.drop()
    throw e
  })
  try {
    const admin = await login(server.url, 'admin', 'demo')
    const metrics = async () => (await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { bytesIn: number; bytesOut: number; peakRssMB: number; syncBusyMs: number }
    const item = benchItem()
    await fetch(`${server.url}/api/catalogue`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: JSON.stringify({ items: [item] }) })
    const agent = await login(server.url, 'agent', 'demo')
    const deviceId = `bench-${randomBytes(6).toString('hex')}`
    const { deviceNumber, credential } = await enrolDevice(server.url, agent.token, deviceId, '{"kty":"EC","crv":"P-256","bench":true}')
    const t0 = performance.now()
    const cases = makeCases(n, { item, village: agent.user.scope as VillageCode, deviceNumber, deviceId, userId: agent.user.id as UserId })
    const buildMs = performance.now() - t0
    const transport = httpTransport({ baseUrl: server.url, token: () => agent.token, deviceCredential: () => credential })

    // The metrics call itself is on the wire: measure it once and subtract it.
    const a = await metrics()
    const b = await metrics()
    const overhead = { in: b.bytesIn - a.bytesIn, out: b.bytesOut - a.bytesOut }
    const measure = async (fn: () => Promise<void>): Promise<Phase> => {
      const before = await metrics()
      const start = performance.now()
      await fn()
      const ms = performance.now() - start
      const after = await metrics()
      return { ms: Math.round(ms * 10) / 10, up: after.bytesIn - before.bytesIn - overhead.in, down: after.bytesOut - before.bytesOut - overhead.out }
    }

    const pushAll = async (t: Transport, device: string, list: { caseId: BenchCase['caseId']; update: Uint8Array }[], cursor: { v: number }) => {
      for (let i = 0; i < list.length; i += BATCH) {
        const chunk = list.slice(i, i + BATCH)
        const req: SyncRequest = {
          header: { batchId: `b-${randomBytes(8).toString('hex')}`, deviceId: device, updates: chunk.map((c) => c.caseId), commands: [], pull: { cursor: cursor.v, limit: 2000 } },
          updates: chunk.map((c) => c.update),
        }
        const res = await t.sync(req)
        const bad = res.header.acks.filter((x) => !x.ok)
        if (bad.length) throw new Error(`rejected: ${JSON.stringify(bad[0])}`)
        cursor.v = res.header.cursor
      }
    }
    const pullAll = async (t: Transport, device: string, cursor: { v: number }) => {
      let rows = 0
      for (;;) {
        const res = await t.sync({ header: { batchId: `p-${randomBytes(8).toString('hex')}`, deviceId: device, updates: [], commands: [], pull: { cursor: cursor.v, limit: 2000 } }, updates: [] })
        rows += res.updates.length
        cursor.v = res.header.cursor
        if (!res.header.more) return rows
      }
    }

    // Warm the server up (a long-running server is): another village device pushes 300 cases first.
    const agent2 = await login(server.url, 'agent2', 'demo')
    const warmId = `bench-warm-${randomBytes(4).toString('hex')}`
    const { deviceNumber: warmNumber, credential: warmCredential } = await enrolDevice(server.url, agent2.token, warmId, '{"kty":"EC","crv":"P-256","bench":true}')
    const warm = makeCases(300, { item, village: agent2.user.scope as VillageCode, deviceNumber: warmNumber, deviceId: warmId, userId: agent2.user.id as UserId, seed: 9 })
    await pushAll(httpTransport({ baseUrl: server.url, token: () => agent2.token, deviceCredential: () => warmCredential }), warmId, warm, { v: 0 })

    const c1 = { v: 0 }
    const busyBefore = (await metrics()).syncBusyMs
    const push = await measure(() => pushAll(transport, deviceId, cases, c1))
    const serverPushMs = (await metrics()).syncBusyMs - busyBefore
    const fresh = `bench-fresh-${randomBytes(4).toString('hex')}`
    const freshEnrolment = await enrolDevice(server.url, agent.token, fresh, '{"kty":"EC","crv":"P-256","bench":true}')
    const freshTransport = httpTransport({ baseUrl: server.url, token: () => agent.token, deviceCredential: () => freshEnrolment.credential })
    const c2 = { v: 0 }
    let pulledRows = 0
    const pull = await measure(async () => {
      pulledRows = await pullAll(freshTransport, fresh, c2)
    })
    if (pulledRows !== n) throw new Error(`fresh device pulled ${pulledRows} of ${n}`)
    const noop = await measure(async () => {
      await pullAll(freshTransport, fresh, c2)
    })
    const r = rng(7)
    const edited = cases.filter((_, i) => i % 10 === 0).map((c) => ({ caseId: c.caseId, update: editCase(c, r) }))
    const edit10 = await measure(() => pushAll(transport, deviceId, edited, c1))
    const rssMB = Math.round((await metrics()).peakRssMB)
    const rawJson = cases.reduce((s, c) => s + c.rawJsonBytes, 0)
    return { storage, n, push, pull, noop, edit10, rssMB, rawJsonBytes: rawJson, upRatio: Math.round((push.up / rawJson) * 1000) / 1000, updatesPerSec: Math.round(n / (serverPushMs / 1000)), buildMs: Math.round(buildMs) }
  } finally {
    await server.stop()
    await db?.drop()
  }
}

const { ns, storages } = args()
const havePg = await pgAvailable()
const results = []
for (const storage of storages) {
  if (storage === 'postgres' && !havePg) {
    console.log('!! PostgreSQL not reachable: postgres rows skipped')
    continue
  }
  for (const n of ns) {
    const row = await runRow(storage, n)
    results.push(row)
    const f = (p: Phase) => `${String(p.ms).padStart(8)} ms ${String(p.up).padStart(9)} B↑ ${String(p.down).padStart(9)} B↓`
    console.log(`${storage.padEnd(8)} n=${String(n).padEnd(6)} push ${f(row.push)} | pull ${f(row.pull)}`)
    console.log(`${''.padEnd(17)} noop ${f(row.noop)} | edit10 ${f(row.edit10)}`)
    console.log(`${''.padEnd(17)} rss ${row.rssMB} MB · up/raw JSON ${row.upRatio} · ${row.updatesPerSec} case updates/s validated+persisted (server time) · push+pull ${Math.round(row.push.ms + row.pull.ms)} ms`)
  }
}
console.log(JSON.stringify({ results: results.map(({ storage, n, push, pull, noop, edit10, rssMB, upRatio, updatesPerSec }) => ({ storage, n, push, pull, noop, edit10, rssMB, upRatio, updatesPerSec })) }))
