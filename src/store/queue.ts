// The township and county queues as the staff device answers them from its own store: filters,
// the deadline order with time-left tones, incoming batches per village and the supervision list
// (督办). Everything reads the list rows (with their queue facts), so it works offline and never
// rebuilds a case document.

import {
  acceptanceClock,
  ACCEPTANCE_NOTICE_DAYS,
  addWorkingDays,
  dayInChina,
  timeLeft as coreTimeLeft,
  workingDaysBetween,
  type CaseStatus,
  type DayCounting,
  type Role,
  type TimeLeft as CoreTimeLeft,
} from '../core'
import type { CaseRow } from './db'

// The acceptance clock and the time-left colours are core/deadline.ts's (the server's queues use the
// same); the device only memoises the working-day counting over its many rows.

export type Tone = 'ok' | 'soon' | 'overdue' | 'none'

export interface TimeLeft {
  tone: Tone
  /** Working days left (negative when overdue); null when no clock runs. */
  days: number | null
  due: string | null
  estimated: boolean
  /** Which clock: the decision deadline, or the acceptance clock of a case not yet accepted. */
  clock: 'decision' | 'acceptance' | 'paused' | null
}

export interface QueueQuery {
  view: 'queue' | 'supervision'
  department: string
  state: '' | CaseStatus
  village: string
  item: string
  /** '' any, 'me', 'none' (nobody holds it), 'others' */
  assignee: '' | 'me' | 'none' | 'others'
  due: '' | 'soon' | 'overdue'
  search: string
}

export const emptyQueueQuery: QueueQuery = { view: 'queue', department: '', state: '', village: '', item: '', assignee: '', due: '', search: '' }

export interface QueueRow {
  id: string
  number: string
  item: string
  itemName: string
  village: string
  status: CaseStatus
  applicant: string
  department: string
  level: 'township' | 'county'
  submittedAt: string | null
  submission: number
  left: TimeLeft
  holder: { name: string; mine: boolean; live: boolean } | null
  pendingCommand: string | null
  problem: string | null
  suspended: boolean
}

export interface QueueActor {
  role: Role
  userId: string
  now: Date
}

/** The states each role works on in its queue. */
export function workStates(role: Role): CaseStatus[] {
  switch (role) {
    case 'township':
      return ['submitted', 'accepted']
    case 'county':
      return ['forwarded']
    case 'admin':
      return ['submitted', 'accepted', 'forwarded']
    case 'agent':
      return []
  }
}

const OPEN: CaseStatus[] = ['submitted', 'accepted', 'forwarded', 'returned']

/** Working-day arithmetic over many rows repeats the same few dates: remember each answer. */
export function dayMath(): DayCounting {
  const added = new Map<string, { date: string; estimated: boolean }>()
  const betweens = new Map<string, number>()
  return {
    addWorkingDays(from, n) {
      const k = `${from}+${n}`
      let r = added.get(k)
      if (!r) added.set(k, (r = addWorkingDays(from, n)))
      return r
    },
    workingDaysBetween(a, b) {
      const k = `${a}|${b}`
      let r = betweens.get(k)
      if (r === undefined) betweens.set(k, (r = workingDaysBetween(a, b)))
      return r
    },
  }
}

const direct: DayCounting = { addWorkingDays, workingDaysBetween }

const TONE: Record<CoreTimeLeft, Tone> = { on_track: 'ok', due_soon: 'soon', overdue: 'overdue', paused: 'none', none: 'none' }

export function timeLeft(row: CaseRow, today: string, math: DayCounting = direct): TimeLeft {
  const q = row.queue
  if (row.status === 'submitted' && q?.submittedAt) {
    const a = acceptanceClock(dayInChina(Date.parse(q.submittedAt)), today, math)
    return { tone: a.lapsed ? 'overdue' : a.flagged ? 'soon' : 'ok', days: ACCEPTANCE_NOTICE_DAYS - a.workingDay, due: a.noticeDue, estimated: a.estimated, clock: 'acceptance' }
  }
  if ((row.status === 'accepted' || row.status === 'forwarded') && row.deadline) {
    if (q?.paused) return { tone: 'none', days: null, due: row.deadline, estimated: q.deadlineEstimated, clock: 'paused' }
    const tone = TONE[coreTimeLeft(row.deadline, today, { days: math })]
    return { tone, days: math.workingDaysBetween(today, row.deadline), due: row.deadline, estimated: q?.deadlineEstimated ?? false, clock: 'decision' }
  }
  return { tone: 'none', days: null, due: row.deadline, estimated: false, clock: null }
}

export function toQueueRow(row: CaseRow, actor: QueueActor, today: string, math: DayCounting = direct): QueueRow {
  const h = row.queue?.holder
  return {
    id: row.id,
    number: row.number,
    item: row.item,
    itemName: row.itemName,
    village: row.village,
    status: row.status,
    applicant: row.applicant,
    department: row.queue?.department ?? '',
    level: row.queue?.level ?? 'township',
    submittedAt: row.queue?.submittedAt ?? null,
    submission: row.queue?.submission ?? 0,
    left: timeLeft(row, today, math),
    holder: h ? { name: h.name, mine: h.userId === actor.userId, live: !h.until || Date.parse(h.until) > actor.now.getTime() } : null,
    pendingCommand: row.pendingCommand,
    problem: row.problem,
    suspended: row.queue?.suspended ?? false,
  }
}

function matches(r: QueueRow, row: CaseRow, q: QueueQuery, role: Role): boolean {
  if (q.view === 'supervision') {
    if (!OPEN.includes(r.status) || r.status === 'returned') return false
    if (r.left.tone !== 'soon' && r.left.tone !== 'overdue') return false
  } else if (q.state ? r.status !== q.state : !workStates(role).includes(r.status)) return false
  if (q.department && r.department !== q.department) return false
  if (q.village && r.village !== q.village) return false
  if (q.item && r.item !== q.item) return false
  if (q.assignee === 'me' && !(r.holder?.mine && r.holder.live)) return false
  if (q.assignee === 'none' && r.holder?.live) return false
  if (q.assignee === 'others' && !(r.holder?.live && !r.holder.mine)) return false
  if (q.due === 'soon' && r.left.tone !== 'soon') return false
  if (q.due === 'overdue' && r.left.tone !== 'overdue') return false
  const s = q.search.trim().toLowerCase()
  if (s && !(row.searchText ?? row.number.toLowerCase()).includes(s)) return false
  return true
}

/** Deadline first (overdue at the top), cases without a clock after, oldest receipt first. */
function byDeadline(a: QueueRow, b: QueueRow): number {
  return (a.left.due ?? '9999').localeCompare(b.left.due ?? '9999') || (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '') || a.number.localeCompare(b.number)
}

export function queryQueue(rows: CaseRow[], q: QueueQuery, actor: QueueActor): QueueRow[] {
  const today = dayInChina(actor.now.getTime())
  const math = dayMath()
  const out: QueueRow[] = []
  for (const row of rows) {
    // A case pruned from the device that received a later update has no meta here: skip it.
    if (!row.number) continue
    const r = toQueueRow(row, actor, today, math)
    if (matches(r, row, q, actor.role)) out.push(r)
  }
  return out.sort(byDeadline)
}

export interface Batch {
  key: string
  village: string
  device: string
  /** Day the township received it (server time). */
  day: string
  receivedAt: string
  cases: number
  waiting: number
  caseIds: string[]
}

/**
 * Incoming batches: the cases one village device sent on one day. The township sees what arrived
 * from each village; `waiting` counts the ones still to accept (bulk accept takes those).
 */
export function incomingBatches(rows: CaseRow[], sinceDay: string): Batch[] {
  const map = new Map<string, Batch>()
  for (const row of rows) {
    const at = row.queue?.submittedAt
    if (!at || row.status === 'draft' || !row.number) continue
    const day = dayInChina(Date.parse(at))
    if (day < sinceDay) continue
    const key = `${row.village}|${row.queue!.device}|${day}`
    const b = map.get(key) ?? { key, village: row.village, device: row.queue!.device, day, receivedAt: at, cases: 0, waiting: 0, caseIds: [] }
    b.cases++
    if (at > b.receivedAt) b.receivedAt = at
    if (row.status === 'submitted' && !row.pendingCommand) {
      b.waiting++
      b.caseIds.push(row.id)
    }
    map.set(key, b)
  }
  return [...map.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
}

/** The values present in the queue, for the filter menus. */
export function queueFacets(rows: CaseRow[]): { departments: string[]; villages: string[]; items: { code: string; name: string }[] } {
  const departments = new Set<string>()
  const villages = new Set<string>()
  const items = new Map<string, string>()
  for (const r of rows) {
    if (r.queue?.department) departments.add(r.queue.department)
    if (r.village) villages.add(r.village)
    if (r.item) items.set(r.item, r.itemName || r.item)
  }
  return { departments: [...departments].sort(), villages: [...villages].sort(), items: [...items].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name)) }
}
