// The case list as the agent filters it: by workflow state (plus "waiting to sync"), by search
// text, sorted by deadline or by last change, delivered a window at a time so that 10,000 cases
// scroll without shipping them all to the UI thread.

import type { CaseRow, DaibanDB } from './db'

export const ListFilters = ['all', 'draft', 'taken_in', 'unsynced', 'submitted', 'returned', 'accepted', 'forwarded', 'completed', 'delivered', 'closed'] as const
export type ListFilter = (typeof ListFilters)[number]

export interface CaseQuery {
  filter: ListFilter
  search: string
  sort: 'deadline' | 'updated'
}

export type CaseListRow = Omit<CaseRow, 'searchText' | 'applicantKey'>

function matches(row: CaseRow, filter: ListFilter): boolean {
  switch (filter) {
    case 'all':
      return true
    case 'unsynced':
      return row.unsynced > 0 || row.pendingCommand !== null
    case 'closed':
      return row.status === 'archived' || row.status === 'refused' || row.status === 'withdrawn' || row.pendingCommand === 'discard'
    case 'draft':
      return row.status === 'draft' && row.pendingCommand === null
    case 'taken_in':
      // Taken in on this device, the submission not yet answered by the server (see app/case-status.ts).
      return row.pendingCommand === 'submit' && (row.status === 'draft' || row.status === 'returned')
    case 'submitted':
    case 'returned':
      return row.status === 'returned' && row.pendingCommand !== 'submit'
    case 'accepted':
    case 'forwarded':
    case 'completed':
    case 'delivered':
      return row.status === filter
  }
}

/** ISO dates and times order as plain strings (faster than localeCompare over 10,000 rows). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const strip = ({ searchText: _s, applicantKey: _a, x: _x, ...rest }: CaseRow): CaseListRow => rest

/** The cases whose applicant has this ID number (from memory when the rows are sealed). */
export async function casesOfApplicant(db: DaibanDB, idNumber: string): Promise<CaseRow[]> {
  const memory = db.personal.cases
  if (!memory) return db.cases.where('applicantKey').equals(idNumber).toArray()
  const ids: string[] = []
  for (const [id, p] of memory.entries()) if (p.applicantKey === idNumber) ids.push(id)
  return (await db.cases.bulkGet(ids as CaseRow['id'][])).filter((r): r is CaseRow => r !== undefined)
}

export class CaseList {
  private cacheKey = ''
  private cached: CaseRow[] = []
  private version = 0
  private cachedVersion = -1

  constructor(private db: DaibanDB) {}

  /** Call when cases changed, so the next query re-reads them. */
  invalidate(): void {
    this.version++
  }

  private primed: CaseRow[] | null = null
  private primedWrites = -1

  /** Rows just read elsewhere (at unlock): used instead of reading again until a case row is written. */
  prime(rows: CaseRow[]): void {
    this.primed = rows
    this.primedWrites = this.db.writes.cases ?? 0
  }

  /** The case rows, read again only after a case row was written (query and counts share one read). */
  private async rows(): Promise<CaseRow[]> {
    const writes = this.db.writes.cases ?? 0
    if (this.primed && this.primedWrites === writes) return this.primed
    const rows = await this.db.cases.toArray()
    this.primed = rows
    this.primedWrites = writes
    return rows
  }

  async query(q: CaseQuery, offset: number, limit: number): Promise<{ total: number; rows: CaseListRow[] }> {
    const key = JSON.stringify(q)
    if (key !== this.cacheKey || this.cachedVersion !== this.version) {
      const search = q.search.trim().toLowerCase()
      const all = await this.rows()
      const rows = all.filter((r) => matches(r, q.filter) && (!search || (r.searchText ?? r.number).includes(search)))
      rows.sort(
        q.sort === 'deadline'
          ? (a, b) => cmp(a.deadline ?? '9999', b.deadline ?? '9999') || cmp(b.updatedAt, a.updatedAt)
          : (a, b) => cmp(b.updatedAt, a.updatedAt),
      )
      this.cached = rows
      this.cacheKey = key
      this.cachedVersion = this.version
    }
    return { total: this.cached.length, rows: this.cached.slice(offset, offset + limit).map(strip) }
  }

  async counts(): Promise<Record<ListFilter, number>> {
    const all = await this.rows()
    const out = Object.fromEntries(ListFilters.map((f) => [f, 0])) as Record<ListFilter, number>
    for (const r of all) for (const f of Object.keys(out) as ListFilter[]) if (matches(r, f)) out[f]++
    return out
  }
}
