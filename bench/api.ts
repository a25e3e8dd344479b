// npm run bench:api — the HTTP layer's figures, for this build and optionally an earlier one:
//  - bytes on the wire (headers included) of a cold first load of the app shell: index.html, the
//    JS and CSS it loads, the manifest, the service worker and every entry it precaches; once
//    asking for no compression and once as a browser does (br, gzip);
//  - throughput of GET /api/me and of a no-op POST /api/sync (autocannon: keep-alive, 2
//    connections, loopback, ~5 s each).
// `--before <dir>`: a built checkout (dist/ and dist-server/) measured the same way, side by side.
// A table, then one JSON line.
import { request } from 'node:http'
import { resolve } from 'node:path'
import autocannon from 'autocannon'
import { SYNC_CONTENT_TYPE } from '../src/core'
import { rawFrame } from '../test/helpers/raw-sync'
import { startServerProcess } from '../scripts/lib/server-process'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const beforeDir = process.argv.includes('--before') ? resolve(process.argv[process.argv.indexOf('--before') + 1]!) : null

function get(url: string, encoding: string): Promise<{ status: number; wire: number; body: Buffer }> {
  return new Promise((ok, fail) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        // Status line, header lines and the blank line, as sent.
        let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2
        for (let i = 0; i < res.rawHeaders.length; i += 2) head += res.rawHeaders[i]!.length + 2 + res.rawHeaders[i + 1]!.length + 2
        ok({ status: res.statusCode ?? 0, wire: head + body.length, body })
      })
    })
      .on('error', fail)
      .end()
  })
}

/** The URLs a cold first load fetches: the shell, then what the service worker precaches. */
async function shellUrls(base: string): Promise<string[]> {
  const html = (await get(`${base}/`, 'identity')).body.toString('utf8')
  const urls = new Set<string>(['/', '/manifest.webmanifest', '/sw.js'])
  for (const m of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) urls.add(m[1]!)
  const sw = (await get(`${base}/sw.js`, 'identity')).body.toString('utf8')
  for (const m of sw.matchAll(/url:"([^"]+)"/g)) urls.add(m[1]!.startsWith('/') ? m[1]! : `/${m[1]}`)
  for (const m of sw.matchAll(/importScripts\("\.?\/?([^"]+)"\)|"\.\/(workbox-[^"]+\.js)"/g)) urls.add(`/${m[1] ?? m[2]}`)
  return [...urls]
}

async function transfer(base: string) {
  const urls = await shellUrls(base)
  let plain = 0
  let compressed = 0
  for (const u of urls) {
    const a = await get(base + u, 'identity')
    const b = await get(base + u, 'br, gzip')
    if (a.status !== 200 || b.status !== 200) throw new Error(`${u}: HTTP ${a.status}/${b.status}`)
    plain += a.wire
    compressed += b.wire
  }
  return { files: urls.length, plainBytes: plain, compressedBytes: compressed, ratio: Math.round((compressed / plain) * 1000) / 1000 }
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: 'demo' }) })
  return ((await res.json()) as { token: string }).token
}

async function rate(opts: autocannon.Options): Promise<{ rps: number; p99ms: number; non2xx: number }> {
  const r = await autocannon({ connections: 2, pipelining: 1, duration: SECONDS, ...opts })
  return { rps: Math.round(r.requests.average), p99ms: r.latency.p99, non2xx: r.non2xx + r.errors }
}

interface Target {
  label: string
  url: string
  token: string
  headers: Record<string, string>
  body: Buffer
  stop(): Promise<unknown>
}

async function start(label: string, env: Record<string, string>, entry?: string): Promise<Target> {
  const saved = process.env.DAIBAN_SERVER_ENTRY
  if (entry) process.env.DAIBAN_SERVER_ENTRY = entry
  const server = await startServerProcess(env)
  if (entry) process.env.DAIBAN_SERVER_ENTRY = saved
  const token = await login(server.url)
  // The device enrols for its credential, as the app does; the frame names that device.
  const enrolled = await fetch(`${server.url}/api/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: 'raw-device-0001', publicKey: 'k'.repeat(40), label: 'bench' }),
  })
  const { credential } = (await enrolled.json()) as { credential: string }
  const headers = { authorization: `Bearer ${token}`, 'content-type': SYNC_CONTENT_TYPE, 'x-daiban-device': credential }
  const body = Buffer.from(rawFrame([]))
  const check = await fetch(`${server.url}/api/sync`, { method: 'POST', headers, body })
  if (check.status !== 200) throw new Error(`${label}: no-op sync answered ${check.status}: ${await check.text()}`)
  return { label, url: server.url, token, headers, body, stop: () => server.stop() }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const targets: Target[] = []
if (beforeDir) targets.push(await start('before', { STATIC_DIR: resolve(beforeDir, 'dist') }, resolve(beforeDir, 'dist-server/main.js')))
targets.push(await start('after', { STATIC_DIR: resolve('dist') }, process.env.DAIBAN_SERVER_ENTRY))
const runs: { label: string; shell: Awaited<ReturnType<typeof transfer>>; me: { rps: number; p99ms: number; non2xx: number }; sync: { rps: number; p99ms: number; non2xx: number } }[] = []
try {
  const shells = await Promise.all(targets.map((t) => transfer(t.url)))
  // Both servers run side by side; the measurements alternate in rounds (the machine is shared,
  // its load drifts), and each figure is the median of its rounds.
  const ROUNDS = 3
  const me: Record<string, { rps: number; p99ms: number; non2xx: number }[]> = {}
  const sync: Record<string, { rps: number; p99ms: number; non2xx: number }[]> = {}
  for (const t of targets) await rate({ url: `${t.url}/api/me`, headers: { authorization: `Bearer ${t.token}` }, duration: 1 })
  for (let round = 0; round < ROUNDS; round++)
    for (const t of round % 2 ? [...targets].reverse() : targets) {
      ;(me[t.label] ??= []).push(await rate({ url: `${t.url}/api/me`, headers: { authorization: `Bearer ${t.token}` }, duration: Math.ceil(SECONDS / ROUNDS) }))
      ;(sync[t.label] ??= []).push(await rate({ url: `${t.url}/api/sync`, method: 'POST', headers: t.headers, body: t.body, duration: Math.ceil(SECONDS / ROUNDS) }))
    }
  const pick = (xs: { rps: number; p99ms: number; non2xx: number }[]) => ({ rps: median(xs.map((x) => x.rps)), p99ms: median(xs.map((x) => x.p99ms)), non2xx: xs.reduce((n, x) => n + x.non2xx, 0) })
  targets.forEach((t, i) => runs.push({ label: t.label, shell: shells[i]!, me: pick(me[t.label]!), sync: pick(sync[t.label]!) }))
} finally {
  for (const t of targets) await t.stop()
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`
console.log('\n| build | shell files | uncompressed | on the wire (br/gzip) | ratio | GET /api/me req/s (p99 ms) | no-op POST /api/sync req/s (p99 ms) |')
console.log('|---|---|---|---|---|---|---|')
for (const r of runs)
  console.log(
    `| ${r.label} | ${r.shell.files} | ${kb(r.shell.plainBytes)} | ${kb(r.shell.compressedBytes)} | ${(r.shell.ratio * 100).toFixed(1)} % | ${r.me.rps} (${r.me.p99ms}) | ${r.sync.rps} (${r.sync.p99ms}) |`,
  )
const after = runs[runs.length - 1]!
const before = beforeDir ? runs[0]! : null
const json: Record<string, unknown> = {
  shellFiles: after.shell.files,
  shellPlainBytes: after.shell.plainBytes,
  shellWireBytes: after.shell.compressedBytes,
  shellRatio: after.shell.ratio,
  meRps: after.me.rps,
  syncNoopRps: after.sync.rps,
  non2xx: after.me.non2xx + after.sync.non2xx,
}
if (before) {
  Object.assign(json, {
    beforeShellWireBytes: before.shell.compressedBytes,
    beforeShellRatio: before.shell.ratio,
    beforeMeRps: before.me.rps,
    beforeSyncNoopRps: before.sync.rps,
    meChange: Math.round((after.me.rps / before.me.rps - 1) * 1000) / 1000,
    syncNoopChange: Math.round((after.sync.rps / before.sync.rps - 1) * 1000) / 1000,
  })
}
console.log(JSON.stringify(json))
