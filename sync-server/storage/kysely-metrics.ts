// Service metric sums over the routing columns of `cases`, read from the covering index
// cases_metric_groups (migration 070) alone, never from the wide rows.
//
// The database counts, the figures are folded here: one scan groups the cases by the routing
// columns and by every column a figure distinguishes (kind, returned, on time, rating, trips), and
// counts per group only what depends on the period (taken in, accepted, completed, working days).
// The grouping follows the index column order, so SQLite aggregates while it walks the index
// (no sort) and PostgreSQL hashes a few thousand groups; the per-figure conditions (instant,
// on time, each rating…) are then applied to those groups in JavaScript instead of to every
// case in SQL, which was most of the time taken over 100,000 cases.

import { sql, type Kysely, type RawBuilder } from 'kysely'
import { emptySums, type DayCounts, type MetricSums } from '../../src/core'
import type { Database } from './schema'
import type { MetricsQuery, StorageKind } from './types'

const GROUP_COLUMN = { county: 'county', township: 'township', village: 'village', department: 'department', item: 'item_code' } as const

/** The grouping columns, in the order of the index cases_metric_groups. */
const CATEGORY_COLUMNS = ['county', 'township', 'village', 'department', 'item_code', 'kind', 'returned', 'on_time', 'rating', 'trips'] as const

interface CategoryRow {
  county: string
  township: string
  village: string
  department: string
  item_code: string
  kind: string
  returned: number | string
  on_time: number | string | null
  rating: number | string | null
  trips: number | string | null
  /** Taken in, accepted and completed in the period, and working days summed over the completed. */
  t: number | string | null
  a: number | string | null
  d: number | string | null
  w: number | string | null
}

const n = (v: unknown) => Number(v ?? 0)
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))

/** Adds one category group's counts to the sums of its figure group. */
function addCategory(s: MetricSums, r: CategoryRow): void {
  const taken = n(r.t)
  const done = n(r.d)
  const onTime = orNull(r.on_time)
  const trips = orNull(r.trips)
  const rating = orNull(r.rating)
  s.takenIn += taken
  if (r.kind === 'instant') s.instant += taken
  if (n(r.returned) === 1) s.returned += taken
  s.accepted += n(r.a)
  s.completed += done
  s.workDays += n(r.w)
  if (onTime !== null) s.withDeadline += done
  if (onTime === 1) s.onTime += done
  if (trips !== null) {
    s.tripsKnown += done
    s.trips += done * trips
    if (trips === 0) s.zeroTrips += done
  }
  if (rating !== null && rating >= 1 && rating <= 5 && Number.isInteger(rating)) s.ratings[rating - 1] = s.ratings[rating - 1]! + done
}

export async function queryMetricSums(db: Kysely<Database>, kind: StorageKind, q: MetricsQuery): Promise<{ groups: { key: string; sums: MetricSums }[]; days: DayCounts[] }> {
  const inP = (col: 'submitted_on' | 'accepted_on' | 'completed_on') => sql`${sql.ref(col)} between ${q.from} and ${q.to}`
  // The same test where it filters or counts rows rather than bounds an index range: days compare
  // alike byte by byte, and PostgreSQL then spares the locale's comparison on every case.
  const byteIn = (col: 'submitted_on' | 'accepted_on' | 'completed_on') => (kind === 'postgres' ? sql`${sql.ref(col)} collate "C" between ${q.from} and ${q.to}` : inP(col))
  // SQLite would otherwise pick a narrower index on (county, department, …) and read every row.
  const table = kind === 'sqlite' ? sql`cases indexed by cases_metric_groups` : sql`cases`
  const intakeT = kind === 'sqlite' ? sql`cases indexed by cases_metric_intake` : sql`cases`
  const doneT = kind === 'sqlite' ? sql`cases indexed by cases_metric_done` : sql`cases`
  // The county first: the leading column of cases_metric_groups.
  const scope = sql`county = ${q.code.slice(0, 6)} and ${sql.ref(q.column)} = ${q.code}${q.department ? sql` and department = ${q.department}` : sql``}`
  const countIf = (cond: RawBuilder<unknown>) => (kind === 'postgres' ? sql`count(*) filter (where ${cond})` : sql`sum(${cond})`)
  const columns = sql.join(CATEGORY_COLUMNS.map((c) => sql.ref(c)))
  // Three statements at once: PostgreSQL answers them on separate connections.
  const [categories, intake, completions] = await Promise.all([
    sql<CategoryRow>`
      select ${columns},
        ${countIf(byteIn('submitted_on'))} as t,
        ${countIf(byteIn('accepted_on'))} as a,
        ${countIf(byteIn('completed_on'))} as d,
        sum(case when ${byteIn('completed_on')} then coalesce(work_days, 0) else 0 end) as w
      from ${table}
      where ${scope} and (${byteIn('submitted_on')} or ${byteIn('accepted_on')} or ${byteIn('completed_on')})
      group by ${columns}`.execute(db),
    sql<{ day: string; n: number | string }>`
      select submitted_on as day, count(*) as n from ${intakeT}
      where ${scope} and ${inP('submitted_on')}
      group by submitted_on`.execute(db),
    sql<{ day: string; d: number | string; t: number | string | null }>`
      select completed_on as day, count(on_time) as d, sum(on_time) as t from ${doneT}
      where ${scope} and ${inP('completed_on')}
      group by completed_on`.execute(db),
  ])
  const byKey = new Map<string, MetricSums>()
  const keyColumn = GROUP_COLUMN[q.groupBy]
  for (const r of categories.rows) {
    const key = String(r[keyColumn])
    const sums = byKey.get(key) ?? byKey.set(key, emptySums()).get(key)!
    addCategory(sums, r)
  }
  const groups = [...byKey]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, sums]) => ({ key, sums }))
    .filter((g) => g.sums.takenIn || g.sums.accepted || g.sums.completed)
  const days = new Map<string, DayCounts>()
  const day = (d: string) => days.get(d) ?? days.set(d, { day: d, takenIn: 0, withDeadline: 0, onTime: 0 }).get(d)!
  for (const r of intake.rows) day(r.day).takenIn += n(r.n)
  for (const r of completions.rows) {
    const d = day(r.day)
    d.withDeadline += n(r.d)
    d.onTime += n(r.t)
  }
  return { groups, days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)) }
}
