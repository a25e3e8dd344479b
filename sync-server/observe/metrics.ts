// Operators' figures in the Prometheus text format (GET /metrics) and readiness (/api/ready).
// One registry per server, so several servers in one process (tests) never share counters.
// Route labels are route patterns, never raw paths, so the number of series stays bounded.

import { statSync } from 'node:fs'
import type { IncomingMessage, Server } from 'node:http'
import { join } from 'node:path'
import { Migrator, sql } from 'kysely'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { SyncRequest, SyncResponse } from '../../src/core'
import { dbOf } from '../admin/setup'
import type { Storage } from '../storage'
import { migrationProvider } from '../storage/migrations'
import { SQLITE_FILE } from '../storage/sqlite'
import type { DocCache } from '../sync/doc-cache'

export const METRICS_PATH = '/metrics'

export class ServerMetrics {
  readonly registry = new Registry()
  readonly requests = new Counter({ name: 'daiban_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] })
  readonly syncBatches = new Counter({ name: 'daiban_sync_batches_total', help: 'Sync requests handled: push (carried updates or commands) or pull only', labelNames: ['kind'] as const, registers: [this.registry] })
  readonly updates = new Counter({ name: 'daiban_sync_updates_total', help: 'Case updates received, by result (accepted or refused) and refusal code', labelNames: ['result', 'code'] as const, registers: [this.registry] })
  readonly commands = new Counter({ name: 'daiban_sync_commands_total', help: 'Workflow commands received, by result', labelNames: ['result'] as const, registers: [this.registry] })
  readonly pushSeconds = new Histogram({
    name: 'daiban_sync_push_seconds',
    help: 'Time to handle a sync request that carries updates or commands',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  })

  constructor(deps: { storage: Storage; dataDir: string; docs: DocCache; server: Server }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'daiban_' })
    const open = { yjs: 0, live: 0 }
    deps.server.on('upgrade', (req: IncomingMessage, socket) => {
      const kind = (req.url ?? '').startsWith('/yjs') ? 'yjs' : 'live'
      open[kind]++
      socket.once('close', () => open[kind]--)
    })
    new Gauge({
      name: 'daiban_live_sockets',
      help: 'Open WebSocket connections: live pull hints (/api/live) and live editing (/yjs)',
      labelNames: ['endpoint'] as const,
      registers: [this.registry],
      collect() {
        this.set({ endpoint: 'live' }, open.live)
        this.set({ endpoint: 'yjs' }, open.yjs)
      },
    })
    new Gauge({
      name: 'daiban_database_bytes',
      help: 'Size of the database (SQLite file with its write-ahead log, or the PostgreSQL database)',
      registers: [this.registry],
      async collect() {
        this.set(await databaseBytes(deps.storage, deps.dataDir))
      },
    })
    new Gauge({
      name: 'daiban_doc_cache_documents',
      help: 'Case documents held in memory',
      registers: [this.registry],
      collect() {
        this.set(deps.docs.size)
      },
    })
    new Counter({
      name: 'daiban_doc_cache_lookups_total',
      help: 'Case document look-ups: hit (current in memory), catch_up (in memory, log read since), miss (built from the log)',
      labelNames: ['result'] as const,
      registers: [this.registry],
      collect() {
        this.reset()
        this.inc({ result: 'hit' }, deps.docs.stats.hits)
        this.inc({ result: 'catch_up' }, deps.docs.stats.catchUps)
        this.inc({ result: 'miss' }, deps.docs.stats.misses)
      },
    })
  }

  /** Called by the sync service after each request. */
  observeSync(req: SyncRequest, res: SyncResponse, ms: number): void {
    const push = req.header.updates.length > 0 || req.header.commands.length > 0
    this.syncBatches.inc({ kind: push ? 'push' : 'pull' })
    if (!push) return
    this.pushSeconds.observe(ms / 1000)
    for (const a of res.header.acks) this.updates.inc(a.ok ? { result: 'accepted', code: '' } : { result: 'refused', code: a.code })
    for (const c of res.header.commands) this.commands.inc({ result: c.ok ? 'applied' : 'refused' })
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}

export async function databaseBytes(storage: Storage, dataDir: string): Promise<number> {
  if (storage.kind === 'postgres') {
    const { rows } = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(dbOf(storage))
    return Number(rows[0]?.n ?? 0)
  }
  let n = 0
  for (const suffix of ['', '-wal']) {
    try {
      n += statSync(join(dataDir, SQLITE_FILE + suffix)).size
    } catch {
      // no write-ahead log at the moment
    }
  }
  return n
}

/** Ready to serve: the database answers and every migration this version knows has run. */
export async function readiness(storage: Storage): Promise<{ ready: true } | { ready: false; reason: string }> {
  try {
    const db = dbOf(storage)
    await sql`select 1`.execute(db)
    const migrations = await new Migrator({ db, provider: migrationProvider(storage.kind) }).getMigrations()
    const pending = migrations.filter((m) => !m.executedAt).map((m) => m.name)
    return pending.length ? { ready: false, reason: `migrations not run: ${pending.join(', ')}` } : { ready: true }
  } catch (e) {
    return { ready: false, reason: `storage unreachable: ${String((e as Error)?.message ?? e).slice(0, 200)}` }
  }
}
