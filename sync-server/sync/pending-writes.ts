// The writes of one push, collected while its phases run and flushed together at the end, in one
// database transaction (a push carries hundreds of cases; one bulk write each is far cheaper).

import { routeCase } from './routing'
import type { Actor } from '../../src/core'
import type { AuditEntry, CaseRecord, LogOrigin, PaperRow, SequencedLogEntry, SyncTx } from '../storage'

/** Writes collected during a push, flushed together. */
export class PendingWrites {
  entries: SequencedLogEntry[] = []
  cases = new Map<string, CaseRecord>()
  audit: AuditEntry[] = []
  commands: { id: string; caseId: string; userId: string; result: string }[] = []
  blobLinks: { caseId: string; hash: string }[] = []
  papers: PaperRow[] = []

  constructor(private seq: number) {}

  append(rec: CaseRecord, data: Uint8Array, origin: LogOrigin, audience: number, actor: Actor, deviceId: string, now: number): number {
    const seq = ++this.seq
    this.entries.push({ seq, caseId: rec.id, village: rec.village, township: rec.township, county: rec.county, audience, origin, deviceId, userId: actor.userId, data, createdAt: now })
    return seq
  }

  /** Drops what was queued for a case (a new case whose number turned out to be taken). */
  drop(caseId: string): void {
    this.entries = this.entries.filter((e) => e.caseId !== caseId)
    this.cases.delete(caseId)
    this.audit = this.audit.filter((a) => a.caseId !== caseId)
    this.blobLinks = this.blobLinks.filter((l) => l.caseId !== caseId)
    this.papers = this.papers.filter((p) => p.caseId !== caseId)
  }

  async flush(tx: SyncTx): Promise<void> {
    await tx.appendMany(this.entries)
    await tx.upsertCases([...this.cases.values()].map(routeCase))
    if (this.commands.length) await tx.putCommandResults(this.commands)
    if (this.blobLinks.length) await tx.linkBlobs(this.blobLinks)
    if (this.papers.length) await tx.putPapers(this.papers)
    if (this.audit.length) await tx.audit(this.audit)
  }
}
