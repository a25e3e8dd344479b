// npm run bench:admin [-- --n 10000]
// Operators' chores on a server holding N cases (SQLite, real server process): how long a backup,
// a restore and an audit-chain check take, how big the backup is, and how long a /metrics scrape
// takes. The admin command runs as a separate process, as an operator would run it.

import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SyncRequest, UserId, VillageCode } from '../src/core'
import { enrol, login } from '../src/sync/device'
import { httpTransport } from '../src/sync/transport'
import { startServerProcess } from '../scripts/lib/server-process'
import { benchItem, makeCases } from './workload'

const argv = process.argv.slice(2)
const ns = argv.includes('--n') ? argv[argv.indexOf('--n') + 1]!.split(',').map(Number) : [1000, 10000]

function cli(args: string[], dataDir: string): { ms: number; out: string } {
  const start = performance.now()
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'sync-server/admin/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } }).toString()
  return { ms: Math.round(performance.now() - start), out }
}

async function row(n: number) {
  const server = await startServerProcess()
  const tmp = mkdtempSync(join(tmpdir(), 'daiban-bench-admin-'))
  try {
    const admin = await login(server.url, 'admin', 'demo')
    const item = benchItem()
    await fetch(`${server.url}/api/catalogue`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: JSON.stringify({ items: [item] }) })
    const agent = await login(server.url, 'agent', 'demo')
    const deviceId = `bench-${randomBytes(6).toString('hex')}`
    const deviceNumber = await enrol(server.url, agent.token, deviceId, '{"kty":"EC","crv":"P-256","bench":true}')
    const cases = makeCases(n, { item, village: agent.user.scope as VillageCode, deviceNumber, deviceId, userId: agent.user.id as UserId })
    const t = httpTransport({ baseUrl: server.url, token: () => agent.token })
    for (let i = 0; i < cases.length; i += 500) {
      const chunk = cases.slice(i, i + 500)
      const req: SyncRequest = { header: { batchId: `b-${randomBytes(8).toString('hex')}`, deviceId, updates: chunk.map((c) => c.caseId), commands: [], pull: { cursor: 0, limit: 1 } }, updates: chunk.map((c) => c.update) }
      await t.sync(req)
    }
    const file = join(tmp, 'backup.bak')
    const backup = cli(['backup', file], server.dataDir)
    const verify = cli(['verify-audit'], server.dataDir)
    const rows = Number(/(\d+) rows chained/.exec(verify.out)?.[1] ?? 0)
    const restore = cli(['restore', file], join(tmp, 'restored'))
    const s0 = performance.now()
    const scrape = await (await fetch(`${server.url}/metrics`)).text()
    const scrapeMs = Math.round((performance.now() - s0) * 10) / 10
    return { n, backupMs: backup.ms, backupMB: Math.round((statSync(file).size / 1048576) * 10) / 10, restoreMs: restore.ms, verifyMs: verify.ms, auditRows: rows, metricsMs: scrapeMs, metricsLines: scrape.split('\n').length }
  } finally {
    await server.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

const results = []
for (const n of ns) results.push(await row(n))
console.log('| cases | backup ms | backup MB | restore ms | verify-audit ms | audit rows | /metrics ms |')
console.log('|---|---|---|---|---|---|---|')
for (const r of results) console.log(`| ${r.n} | ${r.backupMs} | ${r.backupMB} | ${r.restoreMs} | ${r.verifyMs} | ${r.auditRows} | ${r.metricsMs} |`)
console.log('(each admin command includes ~1 s of process start-up with tsx)')
console.log(JSON.stringify({ results }))
