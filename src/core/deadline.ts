// What a queue shows about time: the case's due day and how urgent it is. Two clocks exist. Before
// acceptance, 行政许可法 art. 32 gives the office 5 (working) days from receipt to accept or send
// its one-time correction notice; an undecided case is flagged from its 3rd working day and, once
// the 5th has passed, counts as accepted from the day it was received. After acceptance the
// statutory clock of clock.ts runs; a case accepted late has its deadline counted from receipt.

import { addWorkingDays, isWorkingDay, workingDaysBetween, type Calendar } from './calendar'
import { addDays } from './day'
import type { Clock } from './clock'
import type { WorkflowState } from './workflow-model'

export const ACCEPTANCE_NOTICE_DAYS = 5
export const ACCEPTANCE_FLAG_FROM_DAY = 3
export const DEFAULT_DUE_SOON_DAYS = 3
/** Sort key of cases with nothing due: after every real day. */
export const NO_DUE = '9999-12-31'

export const TimeLefts = ['on_track', 'due_soon', 'overdue', 'paused', 'none'] as const
export type TimeLeft = (typeof TimeLefts)[number]

/**
 * The working-day arithmetic a function counts with: the process calendar by default; a queue
 * over thousands of rows passes a memo of it (the same few dates come back again and again).
 */
export type DayCounting = Pick<Calendar, 'addWorkingDays' | 'workingDaysBetween'>
const processCalendar: DayCounting = { addWorkingDays, workingDaysBetween }

export interface AcceptanceClock {
  receivedOn: string
  /** The last day to accept or send the correction notice. */
  noticeDue: string
  /** Working days since receipt (the day of receipt is day 0). */
  workingDay: number
  /** From the 3rd working day on: the queue warns. */
  flagged: boolean
  /** Past the 5th working day: the case counts as accepted from the day it was received. */
  lapsed: boolean
  estimated: boolean
}

export function acceptanceClock(receivedOn: string, today: string, days: DayCounting = processCalendar): AcceptanceClock {
  const due = days.addWorkingDays(receivedOn, ACCEPTANCE_NOTICE_DAYS)
  const n = Math.max(0, days.workingDaysBetween(receivedOn, today))
  return { receivedOn, noticeDue: due.date, workingDay: n, flagged: n >= ACCEPTANCE_FLAG_FROM_DAY, lapsed: today > due.date, estimated: due.estimated }
}

/** True when an acceptance on `acceptedOn` came after the art. 32 notice period of `receivedOn`. */
export function acceptedLate(receivedOn: string, acceptedOn: string): boolean {
  return acceptedOn > addWorkingDays(receivedOn, ACCEPTANCE_NOTICE_DAYS).date
}

/** The working day n working days before `day` (n ≥ 0). */
export function subtractWorkingDays(day: string, n: number): string {
  let d = day
  for (let left = n; left > 0; ) {
    d = addDays(d, -1)
    if (isWorkingDay(d)) left--
  }
  return d
}

/**
 * The clock as it counts for the case: unchanged, or, for an acceptance after the notice period,
 * moved earlier by the working days between receipt and acceptance (the deadline counts from receipt).
 */
export function effectiveClock(clock: Clock, receivedOn: string | null): { clock: Clock; fromReceipt: boolean } {
  if (!receivedOn || !acceptedLate(receivedOn, clock.acceptedOn)) return { clock, fromReceipt: false }
  const lost = workingDaysBetween(receivedOn, clock.acceptedOn)
  if (clock.pausedOn) return { clock: { ...clock, remainingAtPause: Math.max(0, (clock.remainingAtPause ?? 0) - lost) }, fromReceipt: true }
  return { clock: { ...clock, deadline: subtractWorkingDays(clock.deadline, lost) }, fromReceipt: true }
}

export interface CaseDue {
  /** The day by which the office must act next (NO_DUE when nothing is due). */
  due: string
  estimated: boolean
  kind: 'acceptance' | 'decision' | 'correction' | 'none'
  paused: boolean
  /** The deadline counts from receipt because acceptance came after the notice period. */
  fromReceipt: boolean
}

/** What is due on a case now: the acceptance notice, the decision, or the resident's correction. */
export function caseDue(s: WorkflowState, receivedOn: string | null): CaseDue {
  const none: CaseDue = { due: NO_DUE, estimated: false, kind: 'none', paused: false, fromReceipt: false }
  switch (s.status) {
    case 'submitted': {
      if (!receivedOn) return none
      const r = addWorkingDays(receivedOn, ACCEPTANCE_NOTICE_DAYS)
      return { due: r.date, estimated: r.estimated, kind: 'acceptance', paused: false, fromReceipt: false }
    }
    case 'accepted':
    case 'forwarded': {
      if (!s.clock) return none
      const { clock, fromReceipt } = effectiveClock(s.clock, receivedOn)
      return { due: clock.deadline, estimated: clock.estimated, kind: 'decision', paused: clock.pausedOn !== null, fromReceipt }
    }
    case 'returned':
      return s.correctionDue ? { due: s.correctionDue, estimated: false, kind: 'correction', paused: false, fromReceipt: false } : none
    case 'draft':
    case 'completed':
    case 'delivered':
    case 'archived':
    case 'refused':
    case 'withdrawn':
      return none
  }
}

/** The first day that counts as "due soon" for a threshold of N working days from today. */
export function dueSoonUntil(today: string, dueSoonDays: number = DEFAULT_DUE_SOON_DAYS, days: DayCounting = processCalendar): string {
  return days.addWorkingDays(today, dueSoonDays).date
}

/** The time-left colour of a due day: overdue after it, due soon within N working days, else on track. */
export function timeLeft(due: string | null, today: string, opts: { paused?: boolean; dueSoonDays?: number; days?: DayCounting } = {}): TimeLeft {
  if (!due || due === NO_DUE) return 'none'
  if (opts.paused) return 'paused'
  if (today > due) return 'overdue'
  return due <= dueSoonUntil(today, opts.dueSoonDays, opts.days) ? 'due_soon' : 'on_track'
}
