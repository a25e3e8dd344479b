// npm run bench:staff-sync [-- --storage sqlite,postgres --n 100000]
// A fresh staff device's first sync of its township (issue 9: ≤ 20 s, IndexedDB ≤ 150 MB), on the
// data set of bench:queues: N cases in the county (default 100,000), 10,000 of them open in 华亭镇.
// Each case is seeded with its case document (meta, a filled form, materials and the workflow
// state its commands reached) as one snapshot log entry, as compaction leaves a case; the
// per-command history entries are not seeded. A real server runs on that storage; the device is
// the app's own DeviceService on fake-indexeddb, signed in as 华亭镇's `township` account, timed
// from sign-in until syncNow() returns with everything of its scope pulled (open cases, and those
// decided in the last 30 days). Bytes are counted on the server's sockets (headers included).
// Prints a table and, last, one JSON line.

import { cpus, loadavg } from 'node:os'
import { sql, type Kysely } from 'kysely'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import Dexie from 'dexie'
import pino from 'pino'
import * as Y from 'yjs'
import { fakeCase, rng } from '../demo/fake-cases'
import { initCaseDoc, setFormValue, setMaterial, writeWorkflow, type CaseId, type CaseNumber, type UserId, type VillageCode } from '../src/core'
import { DeviceService } from '../src/sync/device-service'
import { startServer } from '../sync-server/app'
import { demoItems, demoOrgUnits } from '../sync-server/demo-data'
import type { CaseRecord, SequencedLogEntry, Storage } from '../sync-server/storage'
import { STAFF_HOLD_DAYS } from '../sync-server/sync/service'
import { benchArgs, dataSet, openStorageIfAvailable } from './queue-data-set'

const TARGET = { ms: 20_000, idbMB: 150 }
const TOWNSHIP = '340826106' // 华亭镇
const MB = 1024 * 1024

const itemOf = new Map(demoItems.map((i) => [`${i.code}@${i.version}`, i]))

/** The case document a case of this record holds on the server once its log is compacted. */
function caseDoc(rec: CaseRecord, r: () => number): Uint8Array {
  const item = itemOf.get(`${rec.itemCode}@${rec.itemVersion}`)!
  const doc = new Y.Doc({ guid: rec.id })
  const { values, materials } = fakeCase(item, r)
  doc.transact(() => {
    initCaseDoc(doc, { id: rec.id as CaseId, number: rec.number as CaseNumber, item: item.code, itemVersion: item.version, village: rec.village as VillageCode, createdBy: (rec.summary.createdBy ?? 'u-agent') as UserId, createdAt: rec.summary.createdAt ?? new Date(rec.createdAt).toISOString(), device: rec.summary.device ?? 'device-1' })
    for (const [k, v] of Object.entries(values)) setFormValue(doc, k, v)
    for (const [k, m] of Object.entries(materials)) setMaterial(doc, k, m)
    writeWorkflow(doc, rec.state, null)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** Writes the cases and one snapshot log entry each, 2,000 per transaction. */
async function seed(storage: Storage, records: CaseRecord[]): Promise<{ logBytes: number }> {
  const r = rng(99)
  let seq = await storage.headSeq()
  let logBytes = 0
  for (let i = 0; i < records.length; i += 2000) {
    const cases: CaseRecord[] = []
    const entries: SequencedLogEntry[] = []
    for (const rec of records.slice(i, i + 2000)) {
      const data = caseDoc(rec, r)
      logBytes += data.byteLength
      seq++
      entries.push({ seq, caseId: rec.id, audience: rec.audience, origin: 'snapshot', deviceId: rec.summary.device ?? 'device-1', userId: rec.summary.createdBy ?? 'u-agent', data, createdAt: rec.updatedAt, village: rec.village, township: rec.township, county: rec.county })
      cases.push({ ...rec, headSeq: seq })
    }
    await storage.syncTransaction(async (tx) => {
      await tx.appendMany(entries)
      await tx.upsertCases(cases)
    })
  }
  return { logBytes }
}

/**
 * An estimate of what Chromium would store for every IndexedDB database on this device: the sum
 * over every record of its binary parts' byteLength plus the UTF-8 JSON length of the rest. Not
 * counted: keys and index entries, LevelDB's own overhead and its compression, so the real figure
 * on disk may be somewhat above or below.
 */
async function indexedDbBytes(factory: IDBFactory): Promise<{ bytes: number; records: number; tables: Record<string, { records: number; bytes: number }> }> {
  const tables: Record<string, { records: number; bytes: number }> = {}
  let bytes = 0
  let records = 0
  for (const { name } of await factory.databases()) {
    if (!name) continue
    const db = new Dexie(name, { indexedDB: factory, IDBKeyRange })
    await db.open()
    for (const table of db.tables) {
      const t = (tables[`${name}.${table.name}`] = { records: 0, bytes: 0 })
      await table.each((value: unknown) => {
        let binary = 0
        const json = JSON.stringify(value, (_k, v: unknown) => {
          if (v instanceof Uint8Array || v instanceof ArrayBuffer) return void (binary += v.byteLength)
          if (v instanceof Blob) return void (binary += v.size)
          return v
        })
        t.records++
        t.bytes += binary + Buffer.byteLength(json ?? '')
      })
      bytes += t.bytes
      records += t.records
    }
    db.close()
  }
  return { bytes, records, tables }
}

const { n, storages } = benchArgs()
const records = dataSet(n)
const inScope = records.filter((c) => c.township === TOWNSHIP && c.routing?.open).length
console.log(`data set: ${records.length} cases in 宿松县, ${inScope} open in 华亭镇; a staff device holds open cases and those decided in the last ${STAFF_HOLD_DAYS} days`)

const results: Record<string, unknown>[] = []
for (const kind of storages) {
  const opened = await openStorageIfAvailable(kind)
  if (!opened) continue
  const { storage } = opened
  let server: Awaited<ReturnType<typeof startServer>> | null = null
  try {
    await storage.putOrgUnits(demoOrgUnits)
    await storage.putItems(demoItems)
    const t = performance.now()
    const { logBytes } = await seed(storage, records)
    const db = (storage as unknown as { db: Kysely<unknown> }).db
    await sql.raw(kind === 'postgres' ? 'vacuum analyze' : 'analyze').execute(db)
    const seedMs = Math.round(performance.now() - t)
    console.log(`\n${kind}: seeded ${records.length} cases and their documents (${(logBytes / MB).toFixed(1)} MB of log) in ${seedMs} ms`)
    server = await startServer({ port: 0, host: '127.0.0.1', ...opened.at, tokenTtlSeconds: 3600, demoData: true, logLevel: 'silent', compactIntervalSeconds: 0 }, pino({ level: 'silent' }))
    const url = server.url
    const admin = (await (await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo' }) })).json()) as { token: string }
    const traffic = async () => (await (await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { bytesIn: number; bytesOut: number; syncBusyMs: number }
    // The metrics call itself is on the wire: measure it once and subtract it.
    const a = await traffic()
    const b = await traffic()
    const overhead = { in: b.bytesIn - a.bytesIn, out: b.bytesOut - a.bytesOut }

    const factory = new IDBFactory()
    const device = new DeviceService({ baseUrl: url, dexie: { indexedDB: factory, IDBKeyRange }, isOnline: () => true, pbkdf2Iterations: 1000, syncIntervalMs: 3_600_000 })
    const before = await traffic()
    const t0 = performance.now()
    const login = await device.login('township', 'demo')
    if (!login.ok) throw new Error(`sign-in refused: ${login.code}`)
    const signInMs = performance.now() - t0
    const status = await device.syncNow() // the sync sign-in started, then one more: nothing left
    const totalMs = performance.now() - t0
    const after = await traffic()
    if (status.lastError) throw new Error(`sync failed: ${status.lastError}`)
    const wire = { up: after.bytesIn - before.bytesIn - overhead.in, down: after.bytesOut - before.bytesOut - overhead.out }

    const dbName = (await factory.databases()).find((d) => d.name?.endsWith('township'))!.name!
    const held = new Dexie(dbName, { indexedDB: factory, IDBKeyRange })
    await held.open()
    const cases = await held.table('cases').count()
    const updates = await held.table('updates').count()
    held.close()
    const synced = await indexedDbBytes(factory)
    const out = await device.logout()
    if (!out.ok) throw new Error(`sign-out refused: ${out.unsynced} unsynced`)
    const signedOut = await indexedDbBytes(factory) // with the list snapshot written at sign-out
    const row = {
      storage: kind,
      seedMs,
      signInMs: Math.round(signInMs),
      firstSyncMs: Math.round(totalMs),
      cases,
      updates,
      expectedCases: inScope,
      serverSyncMs: Math.round(after.syncBusyMs - before.syncBusyMs),
      wireUp: wire.up,
      wireDown: wire.down,
      idbBytes: synced.bytes,
      idbRecords: synced.records,
      idbBytesAfterSignOut: signedOut.bytes,
      idbTables: signedOut.tables,
    }
    results.push(row)
    const mb = (x: number) => `${(x / MB).toFixed(1)} MB`
    const line = (k: string, v: string, target = '') => console.log(`${k.padEnd(46)} ${v.padStart(14)}  ${target}`)
    line('sign-in (enrol, catalogue, keys)', `${row.signInMs} ms`)
    line('sign-in to first sync complete', `${row.firstSyncMs} ms`, `target ≤ ${TARGET.ms} ms`)
    line('  of which the server handling POST /api/sync', `${row.serverSyncMs} ms`)
    line('cases held / in scope', `${cases} / ${inScope}`)
    line('updates pulled', String(updates))
    line('wire up / down', `${mb(wire.up)} / ${mb(wire.down)}`)
    line('IndexedDB after the sync (estimate)', mb(synced.bytes), `target ≤ ${TARGET.idbMB} MB`)
    line('IndexedDB after sign-out (estimate)', mb(signedOut.bytes))
    for (const [name, s] of Object.entries(signedOut.tables)) if (s.bytes > MB / 10) line(`  ${name}`, `${mb(s.bytes)} · ${s.records}`)
    console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores)`)
  } finally {
    await server?.close()
    await storage.close()
    await opened.cleanup()
  }
}
console.log(JSON.stringify({ cases: records.length, openInTownship: inScope, target: TARGET, results: results.map(({ idbTables: _t, ...r }) => r) }))
// Sockets of the device's fetch (keep-alive) would hold the process open a while: the figures are out.
process.exit(0)
