// How large is the largest honest push? A device takes in 500 complete cases offline (every
// field, every material, three notes each, all submitted) and pushes them in one request, as the
// engine does at most. The server's inflated-body limit is sized from this figure.
import { gunzipSync } from 'node:zlib'
import pino from 'pino'
import { startServer } from '../sync-server/app'
import { newSimDevice, takeInCase } from '../scripts/lib/sim-device'
import { tempDir } from '../test/helpers/server'

const CASES = 500
const tmp = tempDir('daiban-bench-')
const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: tmp.dir, tokenTtlSeconds: 3600, demoData: true, logLevel: 'silent' }, pino({ level: 'silent' }))
const bodies: { raw: number; inflated: number }[] = []
const recording: typeof fetch = async (input, init) => {
  if (String(input).endsWith('/api/sync') && init?.body instanceof Uint8Array) {
    const b = init.body
    const gz = new Headers(init.headers).get('content-encoding') === 'gzip'
    bodies.push({ raw: b.byteLength, inflated: gz ? gunzipSync(b).byteLength : b.byteLength })
  }
  return fetch(input, init)
}
try {
  const dev = await newSimDevice(srv.url, 'agent', { fetch: recording, sync: { maxCasesPerRequest: CASES, maxBytesPerRequest: Number.MAX_SAFE_INTEGER } })
  const items = dev.catalogue
  for (let i = 0; i < CASES; i++) {
    const caseId = await takeInCase(dev, items[i % items.length]!, 1000 + i, true)
    for (let n = 0; n < 3; n++) await dev.store.addNote(caseId, `第${n + 1}次电话联系申请人，说明需补充的材料和办理时限。`.repeat(3))
  }
  await dev.engine.sync()
  const largest = bodies.reduce((a, b) => (b.inflated > a.inflated ? b : a), { raw: 0, inflated: 0 })
  console.log('| requests | largest push, on the wire | largest push, inflated | per case |')
  console.log('|---|---|---|---|')
  console.log(`| ${bodies.length} | ${largest.raw} B | ${largest.inflated} B | ${Math.round(largest.inflated / CASES)} B |`)
  console.log(JSON.stringify({ cases: CASES, requests: bodies.length, largestWireBytes: largest.raw, largestInflatedBytes: largest.inflated }))
} finally {
  await srv.close()
  tmp.remove()
}
