// The county-scale data set of bench:queues and bench:staff-sync: N cases in 宿松县, the first
// 10,000 open in 华亭镇 (submitted, returned, accepted or forwarded, taken in over the last 60
// days), the rest closed over the two years before, half of them in 华亭镇. States are reached by
// real workflow commands; routing columns are derived as a push derives them.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeName, rng } from '../demo/fake-cases'
import { addDays, type ServiceItem } from '../src/core'
import { demoItems } from '../sync-server/demo-data'
import type { CaseRecord, Storage } from '../sync-server/storage'
import { openPostgres } from '../sync-server/storage/postgres'
import { openSqlite } from '../sync-server/storage/sqlite'
import { buildCase, type Step } from '../test/helpers/queue-data'
import { pgDatabase } from './pg'

/** The data set's fixed "today": its days are counted back from it. */
export const TODAY = '2026-03-10'

export const HUATING = ['340826106001', '340826106291', '340826106292', '340826106293']
const LIANGTING = ['340826107191', '340826107291', '340826107292', '340826107293']

/** The steps that bring a case of `item`, taken in on `day`, to `status`. */
function stepsTo(status: string, item: ServiceItem, day: string, r: () => number): Step[] {
  const county = item.level === 'county'
  const steps: Step[] = [['submit', 'agent', day]]
  if (status === 'submitted') return steps
  if (status === 'refused') return [...steps, ['refuse', 'township', addDays(day, 1)]]
  if (status === 'returned') return [...steps, ['accept', 'township', day], ['return', 'township', addDays(day, 1)]]
  steps.push(['accept', 'township', addDays(day, 1)])
  if (county) steps.push(['forward', 'township', addDays(day, 2)])
  if (status === 'accepted' || status === 'forwarded') return steps
  const took = 2 + Math.floor(r() * Math.max(2, item.promisedLimitDays * 1.5))
  steps.push(['complete', county ? 'county' : 'township', addDays(day, took)])
  if (status === 'completed') return steps
  steps.push(['deliver', 'agent', addDays(day, took + 1), { trips: r() < 0.8 ? 0 : 1 }])
  if (r() < 0.7) steps.push(['rate', 'agent', addDays(day, took + 1)])
  return steps
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!
}

export function dataSet(n: number): CaseRecord[] {
  const r = rng(2026)
  const out: CaseRecord[] = []
  const open = Math.min(10_000, n)
  for (let i = 0; i < n; i++) {
    const item = pick(r, demoItems)
    let status: string
    let village: string
    let day: string
    if (i < open) {
      village = pick(r, HUATING)
      const x = r()
      status = x < 0.3 ? 'submitted' : x < 0.4 ? 'returned' : item.level === 'county' && x < 0.7 ? 'forwarded' : 'accepted'
      if (status === 'forwarded') status = 'accepted' // forwarded comes from stepsTo for county items
      day = addDays(TODAY, -Math.floor(r() * 60))
    } else {
      const huating = r() < 0.5
      village = pick(r, huating ? HUATING : LIANGTING)
      const x = r()
      // A few old cases still waiting in the other township; 华亭镇 keeps exactly its open ones.
      status = x < 0.02 && !huating ? 'submitted' : x < 0.05 ? 'refused' : x < 0.1 ? 'completed' : 'delivered'
      day = addDays(TODAY, -60 - Math.floor(r() * 670))
    }
    out.push(buildCase({ id: `bench-${String(i).padStart(6, '0')}`, village, item, name: fakeName(r), created: day, steps: stepsTo(status, item, day, r), agent: `u-agent-${village}`, device: `device-${village}-1` }))
  }
  return out
}

/** The command line of the county-scale benches: `--n 100000 --storage sqlite,postgres` (the defaults). */
export function benchArgs(): { n: number; storages: string[] } {
  const a = process.argv.slice(2)
  let n = 100_000
  let storages = ['sqlite', 'postgres']
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--n') n = Number(a[++i])
    else if (a[i] === '--storage') storages = a[++i]!.split(',')
  }
  return { n, storages }
}

/** A fresh, migrated storage of `kind` (sqlite or postgres), where a server can be started on it too. */
export async function openStorage(kind: string): Promise<{ storage: Storage; at: { dataDir: string; databaseUrl?: string }; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'daiban-bench-'))
    const storage = openSqlite(dir)
    await storage.migrate()
    return { storage, at: { dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const db = await pgDatabase()
  const { storage } = await openPostgres(db.url)
  await storage.migrate()
  return { storage, at: { dataDir: tmpdir(), databaseUrl: db.url }, cleanup: db.drop }
}

/** openStorage, or null (said on the console) when that storage cannot be opened here. */
export async function openStorageIfAvailable(kind: string): Promise<Awaited<ReturnType<typeof openStorage>> | null> {
  try {
    return await openStorage(kind)
  } catch (e) {
    console.log(`!! ${kind} not available: ${(e as Error).message}`)
    return null
  }
}
