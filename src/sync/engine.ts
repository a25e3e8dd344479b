// The device side of sync. Pending local updates are pushed per case (merged), with the pending
// commands of those cases, in bounded batches; what the server acknowledges is marked sent, what
// it rejects is set aside and reported; what others changed is pulled by cursor. A batch is
// written down before it is sent, so after an interruption the very same batch is sent again and
// the server's idempotency makes the repeat harmless.

import * as Y from 'yjs'
import { MAX_REPORTED_UNSYNCED, type CaseId, type PushCommand, type SyncRequest, type SyncResponse } from '../core'
import { APP_VERSION } from './app-version'
import type { CaseStore } from '../store/case-store'
import { getValue, setValue, type CaseRow, type OutboxRow, type UpdateRow } from '../store/db'
import { randomId } from '../store/ids'
import { openPhoto, openUpdates, sealUpdate, updateSize } from '../store/sealed-rows'
import { SyncHttpError, type Transport } from './transport'

export interface SyncOptions {
  maxCasesPerRequest?: number
  maxBytesPerRequest?: number
  pullLimit?: number
  /** Merge a case's acknowledged updates once it has this many. */
  compactAfter?: number
  onProgress?: (p: SyncProgress) => void
  itemName?: (code: string) => string | undefined
  /** Reported with each request (default: this build's version). */
  appVersion?: string
}

export interface SyncProgress {
  phase: 'push' | 'pull' | 'done'
  pushedCases: number
  /** Cases with unsynced changes when this sync started. */
  totalCases: number
  pulled: number
  /** Photo bytes uploaded in this sync, of those it has to upload (large uploads show a bar). */
  photos?: { done: number; total: number }
}

export interface SyncResult {
  requests: number
  blobsUploaded: number
  pushedCases: number
  rejected: number
  commandsAnswered: number
  pulled: number
  /** Pulled entries that could not be decoded: set aside and reported, the rest still synced. */
  undecodable: number
  cursor: number
}

interface InFlight {
  batchId: string
  rowIds: number[]
  commandIds: string[]
}

const INFLIGHT = 'sync.inflight'
const CURSOR = 'sync.cursor'
/** How many pulled entries this device could not decode, ever (the UI shows it as a problem). */
export const UNDECODABLE = 'sync.undecodable'

/** Whether bytes decode as a Yjs update (a too-deep or truncated value throws, e.g. in readAny). */
function decodable(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update)
    return true
  } catch {
    return false
  }
}
export const LAST_SYNC = 'sync.lastSuccess'

export class SyncEngine {
  private running: Promise<SyncResult> | null = null
  private touchedThisRun = new Set<CaseId>()
  private readonly opts: Required<Omit<SyncOptions, 'onProgress' | 'itemName' | 'appVersion'>> & Pick<SyncOptions, 'onProgress' | 'itemName' | 'appVersion'>

  constructor(
    private store: CaseStore,
    private transport: Transport,
    opts: SyncOptions = {},
  ) {
    this.opts = { maxCasesPerRequest: 500, maxBytesPerRequest: 1024 * 1024, pullLimit: 500, compactAfter: 20, ...opts }
  }

  private get db() {
    return this.store.db
  }

  /** Local changes and commands the server has not acknowledged yet. */
  async pendingCount(): Promise<number> {
    const [updates, commands] = await Promise.all([this.db.updates.where('sent').equals(0).count(), this.db.outbox.where('state').equals('pending').count()])
    return updates + commands
  }

  /** Pulled entries set aside because they could not be decoded (0 on a healthy device). */
  async undecodableCount(): Promise<number> {
    return (await getValue<number>(this.db, UNDECODABLE)) ?? 0
  }

  async cursor(): Promise<number> {
    return (await getValue<number>(this.db, CURSOR)) ?? 0
  }

  /** Syncs until nothing is pending and the pull is complete; concurrent calls share one run. */
  sync(): Promise<SyncResult> {
    this.running ??= this.run().finally(() => (this.running = null))
    return this.running
  }

  private async run(): Promise<SyncResult> {
    this.casesPerRequest = 0
    const result: SyncResult = { requests: 0, blobsUploaded: 0, pushedCases: 0, rejected: 0, commandsAnswered: 0, pulled: 0, undecodable: 0, cursor: await this.cursor() }
    const totalCases = await this.db.cases.where('unsynced').above(0).count()
    for (;;) {
      const batch = (await getValue<InFlight>(this.db, INFLIGHT)) ?? (await this.nextBatch())
      const request = await this.buildRequest(batch, result.cursor)
      const hasPush = request.header.updates.length > 0 || request.header.commands.length > 0
      this.opts.onProgress?.({ phase: hasPush ? 'push' : 'pull', pushedCases: result.pushedCases, totalCases, pulled: result.pulled })
      let response: SyncResponse
      try {
        response = await this.transport.sync(request)
      } catch (e) {
        // A request the server will never accept (too large, malformed): resending it verbatim
        // forever would stop all syncing. Split it; a single case that still fails is set aside.
        if (!(e instanceof SyncHttpError) || !e.permanent || !hasPush) throw e
        await this.setAside(batch, request, e, result)
        continue
      }
      result.requests++
      await this.absorb(batch, response, result)
      await this.uploadMissing(response.header.receipt.missingBlobs, result, totalCases)
      const stillPending = hasPush && (await this.pendingCount()) > 0
      if (!response.header.more && !stillPending) break
    }
    await this.compact(this.touchedThisRun)
    this.touchedThisRun.clear()
    this.casesPerRequest = 0
    await setValue(this.db, LAST_SYNC, new Date().toISOString())
    this.opts.onProgress?.({ phase: 'done', pushedCases: result.pushedCases, totalCases, pulled: result.pulled })
    return result
  }

  /** Lowered for the rest of a run when the server refuses a request outright. */
  private casesPerRequest = 0

  private async setAside(batch: InFlight, request: SyncRequest, e: SyncHttpError, result: SyncResult): Promise<void> {
    const db = this.db
    const cases = new Set<CaseId>([...request.header.updates, ...request.header.commands.map((c) => c.caseId)])
    await db.transaction('rw', [db.updates, db.outbox, db.cases, db.kv], async () => {
      await db.kv.delete(INFLIGHT)
      if (cases.size > 1) return
      const problem = `${e.code}: ${e.message}`
      for (const caseId of cases) {
        for (const r of (await db.updates.bulkGet(batch.rowIds)).filter((r): r is UpdateRow => r?.caseId === caseId && r.sent === 0)) await db.updates.update(r.i!, { sent: 2 })
        await db.cases.update(caseId, { unsynced: await db.updates.where('[caseId+sent]').equals([caseId, 0]).count(), problem })
        this.store.forget(caseId)
        result.rejected++
      }
      for (const id of batch.commandIds) await db.outbox.update(id, { state: 'answered', answer: { ok: false, code: e.code, message: e.message } })
    })
    this.casesPerRequest = Math.max(1, Math.floor(cases.size / 2))
  }

  /** Chooses the next cases to push (all their pending updates) and the commands that may go with them. */
  private async nextBatch(): Promise<InFlight> {
    const { maxBytesPerRequest } = this.opts
    const maxCasesPerRequest = this.casesPerRequest || this.opts.maxCasesPerRequest
    const dirty = await this.db.cases.where('unsynced').above(0).limit(maxCasesPerRequest).primaryKeys()
    const rowIds: number[] = []
    const included = new Set<CaseId>()
    let bytes = 0
    for (const caseId of dirty) {
      const rows = await this.db.updates.where('[caseId+sent]').equals([caseId, 0]).toArray()
      const size = rows.reduce((n, r) => n + updateSize(r), 0)
      if (included.size > 0 && bytes + size > maxBytesPerRequest) break
      bytes += size
      included.add(caseId)
      for (const r of rows) rowIds.push(r.i!)
    }
    // A command goes with its case's edits, never ahead of them.
    const pending = await this.db.outbox.where('state').equals('pending').sortBy('n')
    const commandIds: string[] = []
    for (const c of pending) {
      if (commandIds.length >= maxCasesPerRequest) break
      if (included.has(c.caseId) || (await this.db.updates.where('[caseId+sent]').equals([c.caseId, 0]).count()) === 0) commandIds.push(c.id)
    }
    const batch: InFlight = { batchId: randomId(), rowIds, commandIds }
    if (rowIds.length || commandIds.length) await setValue(this.db, INFLIGHT, batch)
    return batch
  }

  private async buildRequest(batch: InFlight, cursor: number): Promise<SyncRequest> {
    const rows = (await this.db.updates.bulkGet(batch.rowIds)).filter((r): r is UpdateRow => r !== undefined && r.sent === 0)
    const byCase = new Map<CaseId, Uint8Array[]>()
    const opened = await openUpdates(this.db, rows)
    rows.forEach((r, i) => byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), opened[i]!]))
    const commands = (await this.db.outbox.bulkGet(batch.commandIds)).filter((c) => c?.state === 'pending')
    const updates: Uint8Array[] = []
    for (const [caseId, pending] of byCase) updates.push(await this.compactPending(caseId, pending))
    return {
      header: {
        batchId: batch.batchId,
        deviceId: this.store.identity.deviceId,
        client: { appVersion: this.opts.appVersion ?? APP_VERSION, unsynced: Math.min(MAX_REPORTED_UNSYNCED, await this.pendingCount()) },
        updates: [...byCase.keys()],
        commands: commands.map((c): PushCommand => ({ id: c!.id, caseId: c!.caseId, command: c!.command })),
        pull: { cursor, limit: this.opts.pullLimit },
        clock: Date.now(),
      },
      updates,
    }
  }

  /**
   * What the server lacks of a case, garbage-collected. Every keystroke is its own stored update,
   * and merging them keeps every overwritten value; applied to a document, the overwritten values
   * are dropped, so a long text typed character by character is sent at its final size.
   */
  private async compactPending(caseId: CaseId, pending: Uint8Array[]): Promise<Uint8Array> {
    const onServer = await openUpdates(this.db, await this.db.updates.where('[caseId+sent]').equals([caseId, 1]).toArray())
    const doc = new Y.Doc({ guid: caseId })
    if (onServer.length) Y.applyUpdate(doc, Y.mergeUpdates(onServer))
    const known = Y.encodeStateVector(doc)
    Y.applyUpdate(doc, pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending))
    const update = Y.encodeStateAsUpdate(doc, known)
    doc.destroy()
    return update
  }

  /** Records the server's answers and the pulled updates in one IndexedDB transaction. */
  private async absorb(batch: InFlight, res: SyncResponse, result: SyncResult): Promise<void> {
    const db = this.db
    const h = res.header
    // One entry a device cannot decode must not stop every later sync: it is left out, counted
    // and shown on its case; the cursor moves past it and the rest is stored and applied.
    const broken = new Map<CaseId, number>()
    const good = h.pulled.flatMap((p, i) => {
      if (decodable(res.updates[i]!)) return [{ caseId: p.caseId, update: res.updates[i]! }]
      broken.set(p.caseId, (broken.get(p.caseId) ?? 0) + 1)
      return []
    })
    // Sealing is asynchronous: the pulled updates, and the personal fields of the pulled cases'
    // rows, are sealed before the transaction, with the documents brought up to date.
    const pulledCases = new Set(h.pulled.map((p) => p.caseId))
    const sealedRows = await Promise.all(good.map(async (g) => ({ caseId: g.caseId, ...(await sealUpdate(db, g.update)), sent: 1 as const })))
    const numbers = new Map((await db.cases.bulkGet([...pulledCases])).flatMap((r) => (r ? [[r.id, r.number] as const] : [])))
    const docs = new Map<CaseId, Y.Doc | Error>()
    for (const caseId of pulledCases) {
      try {
        const doc = await this.store.docWith(caseId, good.filter((g) => g.caseId === caseId).map((g) => g.update))
        await this.store.sealPersonal(caseId, doc, numbers.get(caseId))
        docs.set(caseId, doc)
      } catch (e) {
        this.store.forget(caseId) // rebuilt from storage on next use
        docs.set(caseId, e instanceof Error ? e : new Error(String(e)))
      }
    }
    try {
      await this.absorbRows(batch, res, result, { broken, sealedRows, docs })
    } catch (e) {
      for (const caseId of pulledCases) this.store.forget(caseId)
      throw e
    }
  }

  private async absorbRows(
    batch: InFlight,
    res: SyncResponse,
    result: SyncResult,
    pulled: { broken: Map<CaseId, number>; sealedRows: UpdateRow[]; docs: Map<CaseId, Y.Doc | Error> },
  ): Promise<void> {
    const db = this.db
    const h = res.header
    const { broken, sealedRows, docs } = pulled
    await db.transaction('rw', [db.updates, db.outbox, db.cases, db.kv], async () => {
      const verdict = new Map(h.acks.map((a) => [a.caseId, a]))
      const rows = (await db.updates.bulkGet(batch.rowIds)).filter((r): r is UpdateRow => r !== undefined && r.sent === 0 && verdict.has(r.caseId))
      await db.updates.bulkUpdate(rows.map((r) => ({ key: r.i!, changes: { sent: verdict.get(r.caseId)!.ok ? 1 : 2 } })))
      const settled = new Map<CaseId, number>()
      for (const r of rows) settled.set(r.caseId, (settled.get(r.caseId) ?? 0) + 1)

      // Summaries: counters and problems change for every answered case; the document-derived
      // fields only for cases that received updates from the server.
      const pulledCases = new Set(h.pulled.map((p) => p.caseId))
      const answered = new Set<CaseId>([...h.acks.map((a) => a.caseId), ...h.commands.map((c) => c.caseId)])
      const ids = [...new Set([...answered, ...pulledCases])]
      const summaries = new Map<CaseId, CaseRow>()
      ;(await db.cases.bulkGet(ids)).forEach((row, i) => row && summaries.set(ids[i]!, row))

      for (const ack of h.acks) {
        const row = summaries.get(ack.caseId)
        if (ack.ok) result.pushedCases++
        else {
          result.rejected++
          this.store.forget(ack.caseId) // rebuild without the rejected update
        }
        if (!row) continue
        row.unsynced = Math.max(0, row.unsynced - (settled.get(ack.caseId) ?? 0))
        if (!ack.ok) row.problem = `${ack.code}: ${ack.message}`
      }
      if (h.commands.length) {
        await db.outbox.bulkUpdate(
          h.commands.map((a) => ({ key: a.id, changes: { state: 'answered' as const, answer: a.ok ? { ok: true, status: a.status } : { ok: false, code: a.code, message: a.message } } })),
        )
        const stillPending = await db.outbox.where('state').equals('pending').toArray()
        const nextOf = new Map<CaseId, OutboxRow>()
        for (const c of stillPending) if (!nextOf.has(c.caseId) || nextOf.get(c.caseId)!.n > c.n) nextOf.set(c.caseId, c)
        for (const a of h.commands) {
          result.commandsAnswered++
          const row = summaries.get(a.caseId)
          if (!row) continue
          row.pendingCommand = nextOf.get(a.caseId)?.command.type ?? null
          if (!a.ok) row.problem = `${a.code}: ${a.message}`
        }
      }
      if (h.pulled.length) {
        await db.updates.bulkAdd(sealedRows)
        result.pulled += sealedRows.length
        if (broken.size) {
          const count = [...broken.values()].reduce((a, b) => a + b, 0)
          result.undecodable += count
          await db.kv.put({ key: UNDECODABLE, value: ((await db.kv.get(UNDECODABLE))?.value as number | undefined ?? 0) + count })
        }
        for (const caseId of pulledCases) {
          const prev = summaries.get(caseId)
          const doc = docs.get(caseId)
          if (doc instanceof Y.Doc) {
            const row = this.store.summarise(caseId, doc, prev, prev?.itemName || this.opts.itemName?.(doc.getMap('meta').get('item') as string))
            summaries.set(caseId, { ...row, updatedAt: prev?.updatedAt ?? row.updatedAt })
          } else if (prev) summaries.set(caseId, { ...prev, problem: `undecodable_update: ${doc?.message ?? 'unreadable'}` })
          const skipped = broken.get(caseId)
          const row = summaries.get(caseId)
          if (skipped && row) row.problem = `undecodable_update: ${skipped} entr${skipped === 1 ? 'y' : 'ies'} from the server could not be read`
        }
      }
      await db.cases.bulkPut([...summaries.values()])
      for (const id of ids) this.touchedThisRun.add(id)
      result.cursor = h.cursor
      await db.kv.put({ key: CURSOR, value: h.cursor })
      await db.kv.delete(INFLIGHT)
    })
  }

  /** Uploads the photos the server says it lacks, and any left over from an interrupted sync. */
  private async uploadMissing(missing: string[], result: SyncResult, totalCases: number): Promise<void> {
    const local = await this.db.blobs.where('uploaded').equals(0).toArray()
    const wanted = new Set(missing)
    const photos = { done: 0, total: local.reduce((n, b) => n + b.size, 0) }
    for (const blob of local) {
      if (!wanted.has(blob.hash) && !(await this.db.updates.where('[caseId+sent]').equals([blob.caseId, 1]).count())) continue
      await this.transport.uploadBlob(blob.hash, await openPhoto(this.db, blob))
      await this.db.blobs.update(blob.hash, { uploaded: 1 })
      result.blobsUploaded++
      photos.done += blob.size
      this.opts.onProgress?.({ phase: 'push', pushedCases: result.pushedCases, totalCases, pulled: result.pulled, photos: { ...photos } })
    }
  }

  /** Merges a case's acknowledged updates into one row once there are many. */
  async compact(caseIds: Iterable<CaseId>): Promise<number> {
    const db = this.db
    let merged = 0
    for (const caseId of caseIds) {
      const n = await db.updates.where('[caseId+sent]').equals([caseId, 1]).count()
      if (n < this.opts.compactAfter) continue
      const rows = await db.updates.where('[caseId+sent]').equals([caseId, 1]).toArray()
      // Through a document, so overwritten values are dropped rather than merged along.
      const doc = new Y.Doc({ guid: caseId })
      Y.applyUpdate(doc, Y.mergeUpdates(await openUpdates(db, rows)))
      const stored = await sealUpdate(db, Y.encodeStateAsUpdate(doc))
      doc.destroy()
      const done = await db.transaction('rw', db.updates, async () => {
        const keys = await db.updates.where('[caseId+sent]').equals([caseId, 1]).primaryKeys()
        // Rows added meanwhile (a sync, sealed after the read above): merged next time.
        if (keys.length !== rows.length || keys.some((k, i) => k !== rows[i]!.i)) return false
        await db.updates.bulkDelete(keys)
        await db.updates.add({ caseId, ...stored, sent: 1 })
        return true
      })
      if (done) merged++
    }
    return merged
  }
}
