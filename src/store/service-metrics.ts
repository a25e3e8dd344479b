// The service figures of DOMAIN.md "What the article measures", computed on the device from its
// list rows over a period: per village, department or item, beside the centre's targets, with a
// weekly series for the chart and CSV texts (UTF-8 with BOM so spreadsheet programs read Chinese).

import { addDays, addWorkingDays, dayInChina, DEFAULT_FOLLOW_UP_DAYS, weekday, workingDaysBetween } from '../core'
import type { CaseRow } from './db'

export const Targets = { onTime: 0.995, instant: 0.85, satisfied: 0.999 } as const

export type GroupBy = 'village' | 'department' | 'item'

export interface Figures {
  key: string
  label: string
  takenIn: number
  accepted: number
  completed: number
  onTime: number | null
  instant: number | null
  avgDays: number | null
  returnRate: number | null
  avgTrips: number | null
  zeroTrips: number | null
  ratings: [number, number, number, number, number]
  satisfied: number | null
}

export interface Week {
  monday: string
  intake: number
  onTime: number | null
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
}

export interface ServiceMetrics {
  from: string
  to: string
  total: Figures
  groups: Figures[]
  weeks: Week[]
  followUps: FollowUp[]
}

const ratio = (n: number, d: number) => (d ? n / d : null)
const day = (iso: string | null | undefined) => (iso ? dayInChina(Date.parse(iso)) : null)
const inPeriod = (d: string | null, from: string, to: string) => d !== null && d >= from && d <= to

function figures(key: string, label: string, rows: CaseRow[], from: string, to: string): Figures {
  const intake = rows.filter((r) => inPeriod(day(r.queue?.submittedAt), from, to))
  const accepted = rows.filter((r) => inPeriod(r.queue?.acceptedOn ?? null, from, to))
  const done = rows.filter((r) => inPeriod(r.queue?.completedOn ?? null, from, to))
  const clocked = done.filter((r) => r.queue!.onTime !== null)
  const days = done.filter((r) => r.queue!.acceptedOn).map((r) => Math.max(0, workingDaysBetween(r.queue!.acceptedOn!, r.queue!.completedOn!)))
  const tripRows = done.filter((r) => r.queue!.trips !== null)
  const rated = rows.filter((r) => r.queue?.rating && inPeriod(day(r.queue.ratedAt) ?? r.queue.completedOn, from, to))
  const ratings: Figures['ratings'] = [0, 0, 0, 0, 0]
  for (const r of rated) ratings[r.queue!.rating! - 1]!++
  return {
    key,
    label,
    takenIn: intake.length,
    accepted: accepted.length,
    completed: done.length,
    onTime: ratio(clocked.filter((r) => r.queue!.onTime).length, clocked.length),
    instant: ratio(done.filter((r) => r.queue!.kind === 'instant').length, done.length),
    avgDays: days.length ? days.reduce((a, b) => a + b, 0) / days.length : null,
    returnRate: ratio(intake.filter((r) => r.queue!.returns > 0).length, intake.length),
    avgTrips: tripRows.length ? tripRows.reduce((a, r) => a + r.queue!.trips!, 0) / tripRows.length : null,
    zeroTrips: ratio(tripRows.filter((r) => r.queue!.trips === 0).length, tripRows.length),
    ratings,
    satisfied: ratio(rated.filter((r) => r.queue!.rating! >= 3).length, rated.length),
  }
}

function mondayOf(d: string): string {
  return addDays(d, -((weekday(d) + 6) % 7))
}

export function serviceMetrics(rows: CaseRow[], opts: { from: string; to: string; groupBy: GroupBy; label: (key: string) => string; followUpDays?: number }): ServiceMetrics {
  const { from, to } = opts
  const keyOf = (r: CaseRow) => (opts.groupBy === 'village' ? r.village : opts.groupBy === 'department' ? (r.queue?.department ?? '') : r.item)
  const groups = new Map<string, CaseRow[]>()
  for (const r of rows) if (r.queue) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r])
  const weeks = new Map<string, { intake: number; done: number; onTime: number }>()
  for (let m = mondayOf(from); m <= to; m = addDays(m, 7)) weeks.set(m, { intake: 0, done: 0, onTime: 0 })
  for (const r of rows) {
    const sub = day(r.queue?.submittedAt)
    if (inPeriod(sub, from, to)) weeks.get(mondayOf(sub!))!.intake++
    const c = r.queue?.completedOn ?? null
    if (inPeriod(c, from, to) && r.queue!.onTime !== null) {
      const w = weeks.get(mondayOf(c!))!
      w.done++
      if (r.queue!.onTime) w.onTime++
    }
  }
  const followUps: FollowUp[] = rows
    .filter((r) => r.queue?.rating && r.queue.rating <= 2 && !r.queue.followUp)
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
    total: figures('', '', rows.filter((r) => r.queue), from, to),
    groups: [...groups].map(([k, rs]) => figures(k, opts.label(k), rs, from, to)).sort((a, b) => b.takenIn - a.takenIn || a.label.localeCompare(b.label)),
    weeks: [...weeks].map(([monday, w]) => ({ monday, intake: w.intake, onTime: ratio(w.onTime, w.done) })),
    followUps,
  }
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
    [m.total, ...m.groups].map((f) => [f.label, f.takenIn, f.accepted, f.completed, pct(f.onTime), pct(f.instant), f.avgDays?.toFixed(1) ?? '', pct(f.returnRate), f.avgTrips?.toFixed(2) ?? '', pct(f.zeroTrips), ...f.ratings.slice().reverse(), pct(f.satisfied)]),
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
