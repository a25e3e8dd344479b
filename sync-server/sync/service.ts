// One sync request, start to finish: replayed batches get their stored answers, new ones are
// applied in one transaction, then the caller pulls what changed in its scope since its cursor.

import {
  DEFAULT_CLAIM_LEASE_MS,
  DEFAULT_FOLLOW_UP_DAYS,
  addDays,
  ReadBitOfRole,
  todayInChina,
  type Actor,
  type ServiceItem,
  type SyncRequest,
  type SyncResponse,
  type SyncResponseHeader,
} from '../../src/core'
import type { Logger } from 'pino'
import * as Y from 'yjs'
import type pg from 'pg'
import type { PullQuery, Storage, SyncTx } from '../storage'
import { DocCache } from './doc-cache'
import type { Notifier } from './notifier'
import { applyPush, type PushOutcome } from './push'
import { issuerOf } from '../paper/paper-intake'
import { recordClockOffset } from '../paper/paper-store'

type StoredAnswers = Pick<PushOutcome, 'acks' | 'commands' | 'receipt'>

export function pullColumn(actor: Actor): PullQuery['column'] {
  switch (actor.role) {
    case 'agent':
      return 'village'
    case 'township':
      return 'township'
    case 'county':
    case 'admin':
      return 'county'
  }
}

/** Staff devices hold the open cases of their scope and those closed in the last 30 days. */
export const STAFF_HOLD_DAYS = 30

function staffHolding(actor: Actor): Pick<PullQuery, 'closedBefore' | 'department'> {
  if (actor.role !== 'township' && actor.role !== 'county') return {}
  return { closedBefore: addDays(todayInChina(), -STAFF_HOLD_DAYS), ...(actor.department ? { department: actor.department } : {}) }
}

export class SyncService {
  readonly docs: DocCache
  private items = new Map<string, ServiceItem>()

  constructor(
    private storage: Storage,
    private notifier: Notifier,
    private log: Logger,
    opts: { cacheSize?: number; pool?: pg.Pool; claimLeaseMs?: number; followUpDays?: number } = {},
  ) {
    this.docs = new DocCache(opts.cacheSize ?? 500)
    this.pool = opts.pool
    this.claimLeaseMs = opts.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS
    this.followUpDays = opts.followUpDays ?? DEFAULT_FOLLOW_UP_DAYS
  }

  /** Working days a township has to answer a bad rating (FOLLOW_UP_WORKING_DAYS). */
  readonly followUpDays: number

  /** How long a clerk's claim on a case lives without a command from the clerk. */
  readonly claimLeaseMs: number

  private pool: pg.Pool | undefined

  /** Items never change once published (a change is a new version), so they are cached for good. */
  private async item(tx: SyncTx, code: string, version: number): Promise<ServiceItem | undefined> {
    const key = `${code}@${version}`
    let item = this.items.get(key)
    if (!item) {
      item = await tx.getItem(code, version)
      if (item) this.items.set(key, item)
    }
    return item
  }

  async push(actor: Actor, req: SyncRequest): Promise<StoredAnswers> {
    const { batchId, deviceId } = req.header
    const stored = await this.storage.getBatch(actor.userId, batchId)
    if (stored) return JSON.parse(Buffer.from(stored).toString('utf8')) as StoredAnswers
    // Read before the transaction: SQLite serialises everything behind an open transaction.
    const senderName = req.header.commands.length && actor.role !== 'agent' ? (await this.storage.getUser(actor.userId))?.displayName : undefined
    const paperIssuer = req.header.updates.length ? await issuerOf(this.storage, deviceId) : null
    let outcome: PushOutcome | undefined
    try {
      outcome = await this.storage.syncTransaction(async (tx) => {
        const o = await applyPush(
          {
            tx,
            docs: this.docs,
            actor,
            deviceId,
            now: Date.now(),
            item: (c, v) => this.item(tx, c, v),
            claimLeaseMs: this.claimLeaseMs,
            followUpDays: this.followUpDays,
            ...(senderName ? { senderName } : {}),
            paperIssuer,
          },
          req,
        )
        outcome = o
        const answers: StoredAnswers = { acks: o.acks, commands: o.commands, receipt: o.receipt }
        await tx.putBatch(actor.userId, batchId, Buffer.from(JSON.stringify(answers)))
        return o
      })
    } catch (e) {
      // The transaction rolled back: documents changed in memory no longer match the log.
      for (const id of outcome?.dirtyDocs ?? req.header.updates) this.docs.evict(id)
      for (const c of req.header.commands) this.docs.evict(c.caseId)
      throw e
    }
    const changes = outcome.touched.map((c) => ({ caseId: c.id, village: c.village, audience: c.audience, seq: c.headSeq }))
    this.notifier.publish(changes, this.pool).catch((e) => this.log.warn({ err: e }, 'live notification failed'))
    return { acks: outcome.acks, commands: outcome.commands, receipt: outcome.receipt }
  }

  async pull(actor: Actor, deviceId: string, cursor: number, limit: number) {
    const upTo = await this.storage.headSeq()
    const rows = await this.storage.pull({
      column: pullColumn(actor),
      scope: actor.scope,
      audienceBit: ReadBitOfRole[actor.role],
      excludeDevice: deviceId,
      cursor,
      upTo,
      limit: limit + 1,
      ...staffHolding(actor),
    })
    const more = rows.length > limit
    const page = more ? rows.slice(0, limit) : rows
    return { rows: page, more, cursor: more ? page.at(-1)!.seq : Math.max(cursor, upTo) }
  }

  /**
   * Merges a case's log into one snapshot entry, visible to everyone who may read the case now.
   * Devices that already hold the merged entries receive the snapshot once more (harmless: Yjs
   * updates are idempotent); the audit trail is kept apart and not touched.
   */
  async compact(caseId: string): Promise<boolean> {
    const entries = await this.storage.caseLog(caseId)
    if (entries.length < 2) return false
    const doc = new Y.Doc({ guid: caseId })
    Y.applyUpdate(doc, Y.mergeUpdates(entries.map((e) => e.data)))
    const snapshot = Y.encodeStateAsUpdate(doc) // garbage-collected: overwritten values dropped
    doc.destroy()
    const seq = await this.storage.compactCase(caseId, entries.at(-1)!.seq, snapshot)
    if (seq !== null) this.docs.evict(caseId)
    return seq !== null
  }

  /** One round of compaction over the cases with the longest logs. */
  async compactLongLogs(minEntries = 50, limit = 200): Promise<number> {
    let done = 0
    for (const id of await this.storage.casesWithLongLogs(minEntries, limit)) if (await this.compact(id)) done++
    return done
  }

  /** Milliseconds spent handling sync requests since start (for capacity figures). */
  busyMs = 0
  /** Told about every handled request (operators' figures). */
  observer: ((req: SyncRequest, res: SyncResponse, ms: number) => void) | null = null

  async handle(actor: Actor, req: SyncRequest): Promise<SyncResponse> {
    const start = performance.now()
    let res: SyncResponse | undefined
    try {
      return (res = await this.handleTimed(actor, req))
    } finally {
      const ms = performance.now() - start
      this.busyMs += ms
      if (res) this.observer?.(req, res, ms)
    }
  }

  private async handleTimed(actor: Actor, req: SyncRequest): Promise<SyncResponse> {
    const h = req.header
    const hasPush = h.updates.length > 0 || h.commands.length > 0
    if (h.clock !== undefined) await recordClockOffset(this.storage, h.deviceId, h.clock, Date.now())
    const answers: StoredAnswers = hasPush ? await this.push(actor, req) : { acks: [], commands: [], receipt: { cases: [], missingBlobs: [] } }
    const pulled = h.pull ? await this.pull(actor, h.deviceId, h.pull.cursor, h.pull.limit) : null
    const header: SyncResponseHeader = {
      v: 1,
      batchId: h.batchId,
      acks: answers.acks,
      commands: answers.commands,
      pulled: pulled ? pulled.rows.map((r) => ({ seq: r.seq, caseId: r.caseId })) : [],
      cursor: pulled ? pulled.cursor : (h.pull?.cursor ?? 0),
      more: pulled?.more ?? false,
      receipt: answers.receipt as SyncResponseHeader['receipt'],
    }
    return { header, updates: pulled ? pulled.rows.map((r) => r.data) : [] }
  }
}
