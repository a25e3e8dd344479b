// The staff desk and the agent's task list, answered from the device's own store so both work
// offline: queue pages, batches, tasks, service figures, an audited reveal of personal data (the
// masking is core/personal-data.ts), photos fetched from the server when this device never had
// them, and the 30-day window a staff device keeps.

import {
  dayInChina,
  addDays,
  readWorkflow,
  type CaseId,
  type CorrectionItem,
  type Role,
} from '../core'
import type { CaseStore } from '../store/case-store'
import type { CaseRow, DaibanDB } from '../store/db'
import { randomId } from '../store/ids'
import { incomingBatches, queryQueue, queueFacets, type QueueQuery, type QueueRow } from '../store/queue'
import { casesCsv, metricsCsv, serviceMetrics, type GroupBy, type ServiceMetrics } from '../store/service-metrics'

/** A staff device keeps open cases and those decided within this many days. */
export const KEEP_DECIDED_DAYS = 30
const OPEN = new Set(['draft', 'submitted', 'returned', 'accepted', 'forwarded'])

export interface OrgName {
  code: string
  name: string
}

export type TaskKind = 'correct' | 'deliver' | 'rate' | 'refused'

export interface AgentTask {
  caseId: string
  number: string
  itemName: string
  applicant: string
  kind: TaskKind
  at: string | null
  corrections: CorrectionItem[]
  correctionDue: string | null
  decision: { decision: 'approved' | 'denied'; reason: string | null } | null
  refusal: { reason: string; appeal: string } | null
  pending: boolean
}

export class Desk {
  private cache: { key: string; rows: QueueRow[] } | null = null
  private version = 0
  /** One read of every list row per change, shared by the queue, its menus, batches and figures. */
  private snapshot: { version: number; rows: Promise<CaseRow[]> } | null = null

  constructor(
    private db: DaibanDB,
    private store: CaseStore,
    private who: { role: Role; userId: string },
  ) {}

  invalidate(): void {
    this.version++
  }

  private rows(): Promise<CaseRow[]> {
    if (this.snapshot?.version !== this.version) this.snapshot = { version: this.version, rows: this.db.cases.toArray() }
    return this.snapshot.rows
  }

  async queue(q: QueueQuery, offset: number, limit: number): Promise<{ total: number; rows: QueueRow[] }> {
    const key = `${JSON.stringify(q)}#${this.version}`
    if (this.cache?.key !== key) this.cache = { key, rows: queryQueue(await this.rows(), q, { role: this.who.role, userId: this.who.userId, now: new Date() }) }
    return { total: this.cache.rows.length, rows: this.cache.rows.slice(offset, offset + limit) }
  }

  /** The ids in queue order (for moving case to case with j/k). */
  async order(q: QueueQuery, limit = 5000): Promise<string[]> {
    await this.queue(q, 0, 0)
    return this.cache!.rows.slice(0, limit).map((r) => r.id)
  }

  async facets() {
    return queueFacets(await this.rows())
  }

  async batches(days = 14) {
    return incomingBatches(await this.rows(), addDays(dayInChina(Date.now()), -days))
  }

  /** Commands the server refused that the user has not seen yet (with the server's reason). */
  async refusals(): Promise<{ id: string; caseId: string; number: string; type: string; code: string; message: string }[]> {
    const rows = await this.db.outbox.where('state').equals('answered').filter((o) => o.answer?.ok === false).toArray()
    const cases = await this.db.cases.bulkGet(rows.map((r) => r.caseId))
    return rows.map((r, i) => ({ id: r.id, caseId: r.caseId, number: cases[i]?.number ?? '', type: r.command.type, code: r.answer!.code ?? '', message: r.answer!.message ?? '' }))
  }

  /** The user has seen the refusal: it leaves the outbox and the case's problem is cleared. */
  async dismissRefusal(id: string): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, this.db.cases, async () => {
      const row = await this.db.outbox.get(id)
      await this.db.outbox.delete(id)
      if (row) await this.db.cases.update(row.caseId, { problem: null })
    })
    this.invalidate()
  }

  /** The agent's tasks: every decision that came back and still asks something of the village. */
  async tasks(): Promise<AgentTask[]> {
    const seen = new Set(((await this.db.kv.get('tasks.seen'))?.value as string[] | undefined) ?? [])
    const rows = await this.db.cases.where('status').anyOf('returned', 'completed', 'delivered', 'refused').toArray()
    const out: AgentTask[] = []
    for (const row of rows) {
      const kind: TaskKind | null =
        row.status === 'returned' ? 'correct' : row.status === 'completed' ? 'deliver' : row.status === 'delivered' ? (row.queue?.rating || seen.has(row.id) ? null : 'rate') : seen.has(row.id) ? null : 'refused'
      if (!kind) continue
      const { state, events } = readWorkflow(await this.store.doc(row.id))
      out.push({
        caseId: row.id,
        number: row.number,
        itemName: row.itemName,
        applicant: row.applicant,
        kind,
        at: events.at(-1)?.at ?? null,
        corrections: state?.corrections ?? [],
        correctionDue: state?.correctionDue ?? null,
        decision: state?.decision ? { decision: state.decision.decision, reason: state.decision.reason } : null,
        refusal: state?.refusal ? { reason: state.refusal.reason, appeal: state.refusal.appeal } : null,
        pending: row.pendingCommand !== null,
      })
    }
    return out.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))
  }

  async dismissTask(caseId: string): Promise<void> {
    const seen = ((await this.db.kv.get('tasks.seen'))?.value as string[] | undefined) ?? []
    await this.db.transaction('rw', this.db.kv, () => this.db.kv.put({ key: 'tasks.seen', value: [...new Set([...seen, caseId])].slice(-2000) }))
  }

  async metrics(from: string, to: string, groupBy: GroupBy, label: (key: string) => string): Promise<ServiceMetrics> {
    const m = serviceMetrics(await this.rows(), { from, to, groupBy, label })
    if (!m.followUps.length) return m
    // An answer queued on this device and not yet on the server: shown as sent, not asked again.
    const answering = new Set((await this.db.outbox.where('state').equals('pending').filter((o) => o.command.type === 'answerFollowUp').toArray()).map((o) => o.caseId as string))
    return { ...m, followUps: m.followUps.map((f) => (answering.has(f.caseId) ? { ...f, answerPending: true } : f)) }
  }

  async csv(kind: 'cases' | 'metrics', from: string, to: string, groupBy: GroupBy, header: string[], label: (key: string) => string, status: (s: string) => string): Promise<string> {
    const rows = await this.rows()
    return kind === 'cases' ? casesCsv(rows, from, to, header, status) : metricsCsv(serviceMetrics(rows, { from, to, groupBy, label }), header)
  }

  /** Drops decided cases older than the window from a staff device (they stay on the server). */
  async prune(now = Date.now()): Promise<number> {
    const limit = addDays(dayInChina(now), -KEEP_DECIDED_DAYS)
    const old = await this.db.cases.filter((r) => !OPEN.has(r.status) && !!r.queue?.decidedAt && dayInChina(Date.parse(r.queue.decidedAt)) < limit && !r.unsynced && !r.pendingCommand).primaryKeys()
    if (!old.length) return 0
    await this.db.transaction('rw', [this.db.cases, this.db.updates, this.db.blobs], async () => {
      await this.db.updates.where('caseId').anyOf(old).delete()
      await this.db.blobs.where('caseId').anyOf(old).delete()
      await this.db.cases.bulkDelete(old)
    })
    for (const id of old) this.store.forget(id)
    this.invalidate()
    return old.length
  }

  /** Notes that record a reveal of personal data (the server's audit trail records the note). */
  async recordReveal(caseId: CaseId, text: string): Promise<void> {
    await this.store.addNote(caseId, text, `reveal-${randomId(12)}`)
  }
}
