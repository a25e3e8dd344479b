// npm run bench:queues [-- --storage sqlite,postgres --n 100000]
// Queue reads at county scale: N cases in the county (default 100,000), 10,000 of them open in
// 华亭镇. The data set is written straight into storage in bulk (states reached by real workflow
// commands, routing columns derived as a push derives them), not through the sync protocol.
// Measures the first page of the queue for several filters and roles (median and p95 over 60
// runs): the service function GET /api/queue calls, and GET /api/queue itself over loopback HTTP
// from a real server on the same database; and the service metrics over every case. Prints a
// table and, last, one JSON line.

import { cpus, loadavg } from 'node:os'
import pino from 'pino'
import { sql, type Kysely } from 'kysely'
import type { Actor, DivisionCode, UserId } from '../src/core'
import { demoItems, demoOrgUnits } from '../sync-server/demo-data'
import { serviceMetrics } from '../sync-server/queue/metrics-service'
import { listQueue, type QueueClock } from '../sync-server/queue/queue-service'
import { startServer } from '../sync-server/app'
import type { QueueParams } from '../sync-server/queue/schemas'
import { insertCases } from '../test/helpers/queue-data'
import { benchArgs, dataSet, openStorageIfAvailable, TODAY } from './queue-data-set'

const clock: QueueClock = { today: TODAY, now: Date.parse(`${TODAY}T04:00:00.000Z`), dueSoonDays: 3 }
const RUNS = 60
const WARMUP = 5
const TARGET = { sqliteMedian: 20, sqliteP95: 50, postgresMedian: 30, metrics: 300 }

const actor = (role: Actor['role'], scope: string, department?: Actor['department']): Actor => ({ userId: `u-${role}` as UserId, role, scope: scope as DivisionCode, ...(department ? { department } : {}) })

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { median: Math.round(at(0.5) * 100) / 100, p95: Math.round(at(0.95) * 100) / 100 }
}

async function time(fn: () => Promise<unknown>, runs: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await fn()
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    JSON.stringify(await fn())
    ms.push(performance.now() - t)
  }
  return stats(ms)
}

const { n, storages } = benchArgs()
const tBuild = performance.now()
const records = dataSet(n)
const buildMs = Math.round(performance.now() - tBuild)
const openInHuating = records.filter((c) => c.township === '340826106' && c.routing?.open).length
console.log(`data set: ${records.length} cases in 宿松县, ${openInHuating} open in 华亭镇 (built in ${buildMs} ms)`)

const township = actor('township', '340826106')
const clerk = actor('township', '340826106', 'civil_affairs')
const county = actor('county', '340826')
const sample = records.find((c) => c.township === '340826106' && c.routing?.open)!
const ACCOUNT = new Map<Actor, string>([[township, 'township'], [clerk, 'township-mz'], [county, 'county']])
const queries: [string, Actor, QueueParams][] = [
  ['township: open, by deadline', township, {}],
  ['township: department 民政', township, { department: 'civil_affairs' }],
  ['民政 clerk: own department', clerk, {}],
  ['township: state submitted', township, { state: 'submitted' }],
  ['township: state all', township, { state: 'all' }],
  ['township: one village', township, { village: '340826106291' }],
  ['township: one item', township, { item: demoItems[5]!.code }],
  ['township: unassigned', township, { assignee: 'none' }],
  ['township: due soon', township, { due: 'soon' }],
  ['township: overdue', township, { due: 'overdue' }],
  ['township: name search 王', township, { q: '王' }],
  ['township: case number', township, { q: sample.number.slice(0, 20) }],
  ['county: forwarded queue', county, {}],
  ['county: supervision', county, { view: 'supervision' }],
]

const results: Record<string, unknown>[] = []
for (const kind of storages) {
  const opened = await openStorageIfAvailable(kind)
  if (!opened) continue
  const { storage } = opened
  try {
    await storage.putOrgUnits(demoOrgUnits)
    await storage.putItems(demoItems)
    const t = performance.now()
    await insertCases(storage, records)
    // What autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) does after a bulk load:
    // statistics for the planner and, on PostgreSQL, a visibility map for index-only scans.
    const db = (storage as unknown as { db: Kysely<unknown> }).db
    await sql.raw(kind === 'postgres' ? 'vacuum analyze cases' : 'analyze').execute(db)
    const loadMs = Math.round(performance.now() - t)
    console.log(`\n${kind}: loaded in ${loadMs} ms`)
    // The real server on the same database, for GET /api/queue over loopback HTTP.
    const server = await startServer({ port: 0, host: '127.0.0.1', ...opened.at, tokenTtlSeconds: 3600, demoData: true, logLevel: 'silent', compactIntervalSeconds: 0 }, pino({ level: 'silent' }))
    const tokens = new Map<Actor, string>()
    for (const [a, username] of ACCOUNT) {
      const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })
      tokens.set(a, ((await res.json()) as { token: string }).token)
    }
    const http = async (a: Actor, p: QueueParams) => {
      const res = await fetch(`${server.url}/api/queue?${new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)]))}`, { headers: { authorization: `Bearer ${tokens.get(a)}` } })
      if (res.status !== 200) throw new Error(`GET /api/queue ${res.status}: ${await res.text()}`)
      return (await res.json()) as { rows: unknown[] }
    }
    console.log(`${'query (first page of 50)'.padEnd(34)} ${'rows'.padStart(5)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'HTTP median'.padStart(12)} ${'HTTP p95'.padStart(9)}`)
    const rows: Record<string, unknown>[] = []
    for (const [label, a, p] of queries) {
      // The service clock is today's; the data set's days are fixed around TODAY, so the service
      // call uses that day and HTTP uses the real one (same queries and indexes, other colours).
      const first = await listQueue(storage, a, p, clock)
      const s = await time(() => listQueue(storage, a, p, clock), RUNS, WARMUP)
      const h = await time(() => http(a, p), RUNS, WARMUP)
      rows.push({ query: label, rows: first.rows.length, ...s, http: h })
      console.log(`${label.padEnd(34)} ${String(first.rows.length).padStart(5)} ${String(s.median).padStart(10)} ${String(s.p95).padStart(8)} ${String(h.median).padStart(12)} ${String(h.p95).padStart(9)}`)
    }
    await server.close()
    // A deep page: the fifth page of the township queue, by cursor.
    let cursor: string | null = null
    for (let i = 0; i < 4; i++) cursor = (await listQueue(storage, township, cursor ? { cursor } : {}, clock)).next
    const deep = await time(() => listQueue(storage, township, { cursor: cursor! }, clock), RUNS, WARMUP)
    rows.push({ query: 'township: 5th page by cursor', rows: 50, ...deep })
    console.log(`${'township: 5th page by cursor'.padEnd(34)} ${'50'.padStart(5)} ${String(deep.median).padStart(10)} ${String(deep.p95).padStart(8)}`)
    const metricRuns: [string, () => Promise<unknown>][] = [
      ['metrics: county, all cases, by township', () => serviceMetrics(storage, county, { from: '2024-01-01', to: '2026-12-31', by: 'township' })],
      ['metrics: county, all cases, by item', () => serviceMetrics(storage, county, { from: '2024-01-01', to: '2026-12-31', by: 'item' })],
      ['metrics: township, one year, by village', () => serviceMetrics(storage, township, { from: '2025-03-10', to: '2026-03-09', by: 'village' })],
    ]
    const metrics: Record<string, unknown>[] = []
    for (const [label, fn] of metricRuns) {
      const s = await time(fn, 10, 2)
      metrics.push({ query: label, ...s })
      console.log(`${label.padEnd(34)} ${''.padStart(5)} ${String(s.median).padStart(10)} ${String(s.p95).padStart(8)}`)
    }
    const worstMedian = Math.max(...rows.map((r) => (r.http as { median: number } | undefined)?.median ?? (r.median as number)))
    const worstP95 = Math.max(...rows.map((r) => (r.http as { p95: number } | undefined)?.p95 ?? (r.p95 as number)))
    const worstMetrics = Math.max(...metrics.map((r) => r.median as number))
    const target = kind === 'sqlite' ? TARGET.sqliteMedian : TARGET.postgresMedian
    console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores)`)
    console.log(`worst queue median ${worstMedian} ms (target ≤ ${target}), worst p95 ${worstP95} ms${kind === 'sqlite' ? ` (target ≤ ${TARGET.sqliteP95})` : ''}, worst metrics median ${worstMetrics} ms (target ≤ ${TARGET.metrics})`)
    results.push({ storage: kind, loadMs, queue: rows, metrics, worstMedian, worstP95, worstMetrics })
  } finally {
    await storage.close()
    await opened.cleanup()
  }
}
console.log(JSON.stringify({ cases: records.length, openInTownship: openInHuating, buildMs, runs: RUNS, measured: 'worst figures: GET /api/queue over loopback HTTP; also the service function in process', results }))
// Keep-alive sockets of the HTTP client would hold the process open after the last line.
process.exit(0)
