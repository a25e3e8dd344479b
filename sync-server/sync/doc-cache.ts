// A bounded LRU of case documents, each tagged with the last log sequence it contains. Memory stays
// flat however many cases are stored; a document that another server instance has moved past is
// caught up from the log, and one that a rejected update may have touched is evicted.

import * as Y from 'yjs'
import type { LogEntry } from '../storage'

export interface CachedDoc {
  doc: Y.Doc
  seq: number
}

export class DocCache {
  private entries = new Map<string, CachedDoc>()
  /** Look-ups since start, for the operators' figures. */
  readonly stats = { hits: 0, catchUps: 0, misses: 0 }

  constructor(readonly capacity = 2000) {}

  get size(): number {
    return this.entries.size
  }

  peek(caseId: string): CachedDoc | undefined {
    return this.entries.get(caseId)
  }

  set(caseId: string, doc: Y.Doc, seq: number): void {
    this.entries.delete(caseId)
    this.entries.set(caseId, { doc, seq })
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string
      this.entries.get(oldest)?.doc.destroy()
      this.entries.delete(oldest)
    }
  }

  evict(caseId: string): void {
    this.entries.get(caseId)?.doc.destroy()
    this.entries.delete(caseId)
  }

  /** The document of a case at `headSeq`, reading only the log entries the cache lacks. */
  async load(caseId: string, headSeq: number, readLog: (afterSeq: number) => Promise<LogEntry[]>): Promise<Y.Doc> {
    const hit = this.entries.get(caseId)
    if (hit && hit.seq >= headSeq) {
      this.stats.hits++
      this.set(caseId, hit.doc, hit.seq) // refresh recency
      return hit.doc
    }
    if (hit) this.stats.catchUps++
    else this.stats.misses++
    const doc = hit?.doc ?? new Y.Doc({ guid: caseId })
    const entries = await readLog(hit?.seq ?? 0)
    if (entries.length) {
      Y.applyUpdate(doc, entries.length === 1 ? entries[0]!.data : Y.mergeUpdates(entries.map((e) => e.data)), 'log')
    }
    // Tagged with what was actually applied, never with what the caller expected to find.
    this.set(caseId, doc, entries.at(-1)?.seq ?? hit?.seq ?? 0)
    return doc
  }
}
