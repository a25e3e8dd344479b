// The service figures of DOMAIN.md "What the article measures", computed on the device from its
// list rows over a period: per village, department or item, beside the centre's targets, with a
// weekly series for the chart and CSV texts (UTF-8 with BOM so spreadsheet programs read Chinese).
// The device only sums its rows; the rates, targets and the weekly series are core/service-metrics.ts,
// the same the server's figures come from.

import {
  addWorkingDays,
  dayInChina,
  DEFAULT_FOLLOW_UP_DAYS,
  emptySums,
  figuresOf,
  weeklySeries,
  workingDaysBetween,
  type DayCounts,
  type MetricFigures,
  type MetricSums,
  type WeekPoint,
} from '../core'
import type { CaseRow } from './db'

export type GroupBy = 'village' | 'department' | 'item'

export interface Figures extends MetricFigures {
  key: string
  label: string
}

export interface FollowUp {
  caseId: string
  number: string
  itemName: string
  village: string
  rating: number
  comment: string | null
  ratedAt: string | null
  /** Set by the server when the rating arrived (FOLLOW_UP_WORKING_DAYS, 5 by default). */
  due: string | null
  /** The due day rests on a year without official calendar data (预计). */
  estimated: boolean
  /** This device queued the township's answer; the server has not confirmed it yet. */
  answerPending?: boolean
}

export interface ServiceMetrics {
  from: string
  to: string
  total: Figures
  groups: Figures[]
  weeks: WeekPoint[]
  followUps: FollowUp[]
}

const day = (iso: string | null | undefined) => (iso ? dayInChina(Date.parse(iso)) : null)
const inPeriod = (d: string | null, from: string, to: string) => d !== null && d >= from && d <= to

/** The counts of the article's figures over the rows, as the server's storage sums its cases. */
function sumsOf(rows: CaseRow[], from: string, to: string): MetricSums {
  const s = emptySums()
  for (const r of rows) {
    const q = r.queue
    if (!q) continue
    if (inPeriod(day(q.submittedAt), from, to)) {
      s.takenIn++
      if (q.kind === 'instant') s.instant++
      if (q.returns > 0) s.returned++
    }
    if (inPeriod(q.acceptedOn, from, to)) s.accepted++
    if (!inPeriod(q.completedOn, from, to)) continue
    s.completed++
    if (q.onTime !== null) {
      s.withDeadline++
      if (q.onTime) s.onTime++
    }
    if (q.acceptedOn) s.workDays += Math.max(0, workingDaysBetween(q.acceptedOn, q.completedOn!))
    if (q.trips !== null) {
      s.tripsKnown++
      s.trips += q.trips
      if (q.trips === 0) s.zeroTrips++
    }
    // Ratings of the cases completed in the period (a voided one is no rating: queue-facts.ts).
    if (q.rating) s.ratings[q.rating - 1]!++
  }
  return s
}

/** Intake per day of receipt, and completions with a clock per day of completion. */
function dayCounts(rows: CaseRow[], from: string, to: string): DayCounts[] {
  const days = new Map<string, DayCounts>()
  const at = (d: string) => days.get(d) ?? days.set(d, { day: d, takenIn: 0, withDeadline: 0, onTime: 0 }).get(d)!
  for (const r of rows) {
    const q = r.queue
    if (!q) continue
    const received = day(q.submittedAt)
    if (inPeriod(received, from, to)) at(received!).takenIn++
    if (inPeriod(q.completedOn, from, to) && q.onTime !== null) {
      const c = at(q.completedOn!)
      c.withDeadline++
      if (q.onTime) c.onTime++
    }
  }
  return [...days.values()]
}

const figures = (key: string, label: string, rows: CaseRow[], from: string, to: string): Figures => ({ key, label, ...figuresOf(sumsOf(rows, from, to)) })

export function serviceMetrics(rows: CaseRow[], opts: { from: string; to: string; groupBy: GroupBy; label: (key: string) => string; followUpDays?: number }): ServiceMetrics {
  const { from, to } = opts
  const withFacts = rows.filter((r) => r.queue)
  const keyOf = (r: CaseRow) => (opts.groupBy === 'village' ? r.village : opts.groupBy === 'department' ? (r.queue?.department ?? '') : r.item)
  const groups = new Map<string, CaseRow[]>()
  for (const r of withFacts) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r])
  const followUps: FollowUp[] = withFacts
    .filter((r) => r.queue!.rating && r.queue!.rating <= 2 && !r.queue!.followUp)
    .map((r) => {
      const rated = day(r.queue!.ratedAt)
      const computed = rated ? addWorkingDays(rated, opts.followUpDays ?? DEFAULT_FOLLOW_UP_DAYS) : null
      const due = r.queue!.followUpDue ?? computed?.date ?? null
      const estimated = r.queue!.followUpDue ? Boolean(r.queue!.followUpEstimated) : (computed?.estimated ?? false)
      return { caseId: r.id, number: r.number, itemName: r.itemName, village: r.village, rating: r.queue!.rating!, comment: r.queue!.ratingComment, ratedAt: r.queue!.ratedAt, due, estimated }
    })
  return {
    from,
    to,
    total: figures('', '', withFacts, from, to),
    groups: [...groups].map(([k, rs]) => figures(k, opts.label(k), rs, from, to)).sort((a, b) => b.takenIn - a.takenIn || a.label.localeCompare(b.label)),
    weeks: weeklySeries(dayCounts(withFacts, from, to), from, to),
    followUps,
  }
}

/** The five rating counts, 非常满意 first. */
export function ratingCounts(f: MetricFigures): number[] {
  return [f.ratings.veryGood, f.ratings.good, f.ratings.fair, f.ratings.bad, f.ratings.veryBad]
}

const BOM = '\uFEFF'
const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const pct = (x: number | null) => (x === null ? '' : (x * 100).toFixed(1))

export function toCsv(header: string[], lines: unknown[][]): string {
  return BOM + [header, ...lines].map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n'
}

export function metricsCsv(m: ServiceMetrics, header: string[]): string {
  return toCsv(
    header,
    [m.total, ...m.groups].map((f) => [f.label, f.takenIn, f.accepted, f.completed, pct(f.onTimeRate), pct(f.onTheSpotRate), f.averageWorkingDays?.toFixed(1) ?? '', pct(f.returnRate), f.averageTrips?.toFixed(2) ?? '', pct(f.zeroTripShare), ...ratingCounts(f), pct(f.satisfactionRate)]),
  )
}

/** Cases of the period, personal data masked as on the list rows. */
export function casesCsv(rows: CaseRow[], from: string, to: string, header: string[], status: (s: string) => string): string {
  const picked = rows.filter((r) => inPeriod(day(r.queue?.submittedAt) ?? r.createdAt.slice(0, 10), from, to))
  return toCsv(
    header,
    picked.map((r) => [r.number, r.itemName, r.village, status(r.status), r.applicant, r.applicantId, day(r.queue?.submittedAt) ?? '', r.deadline ?? '', r.queue?.completedOn ?? '', r.queue?.onTime === null || r.queue?.onTime === undefined ? '' : r.queue.onTime ? 'Y' : 'N', r.queue?.rating ?? '']),
  )
}
