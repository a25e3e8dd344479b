// The statutory deadline clock of an accepted case. Counting starts the next working day after
// acceptance; a correction after acceptance pauses it (or restarts it, by the item's rule); a
// special procedure (hearing, public notice, inspection) always pauses it.

import { addWorkingDays, workingDaysBetween, type Calendar } from './calendar'
import type { CorrectionClockRule, ItemKind } from './catalogue'

export interface Clock {
  acceptedOn: string
  deadline: string
  /** True when the deadline depends on a year without official holiday data. */
  estimated: boolean
  /** Set while the clock is stopped; the day it stopped. */
  pausedOn: string | null
  /** Working days that were left when the clock stopped. */
  remainingAtPause: number | null
}

export function startClock(kind: ItemKind, limitDays: number, acceptedOn: string): Clock {
  const r = kind === 'instant' ? { date: acceptedOn, estimated: false } : addWorkingDays(acceptedOn, limitDays)
  return { acceptedOn, deadline: r.date, estimated: r.estimated, pausedOn: null, remainingAtPause: null }
}

export function pauseClock(clock: Clock, on: string): Clock {
  if (clock.pausedOn) return clock
  const remaining = Math.max(0, workingDaysBetween(on, clock.deadline))
  return { ...clock, pausedOn: on, remainingAtPause: remaining }
}

/** Resume after a pause; `restartWith` restarts the full limit instead (correction rule 'restart'). */
export function resumeClock(clock: Clock, on: string, restartWith?: number): Clock {
  if (!clock.pausedOn) return clock
  const days = restartWith ?? clock.remainingAtPause ?? 0
  const r = addWorkingDays(on, days)
  return { ...clock, deadline: r.date, estimated: clock.estimated || r.estimated, pausedOn: null, remainingAtPause: null }
}

export function resumeAfterCorrection(clock: Clock, on: string, rule: CorrectionClockRule, limitDays: number): Clock {
  switch (rule) {
    case 'pause':
      return resumeClock(clock, on)
    case 'restart':
      return resumeClock(clock, on, limitDays)
    default: {
      const unreachable: never = rule
      throw new Error(`unknown clock rule ${String(unreachable)}`)
    }
  }
}

/** Working days left until the deadline (negative when overdue); null while paused. */
export function daysLeft(clock: Clock, today: string): number | null {
  if (clock.pausedOn) return null
  return workingDaysBetween(today, clock.deadline)
}

export function isOverdue(clock: Clock, today: string): boolean {
  return clock.pausedOn === null && today > clock.deadline
}

/**
 * An estimated deadline counted again once official data for its year is loaded: the working days
 * the clock spans from acceptance on the calendar it was counted on (`before`), laid out again on
 * the calendar with the new year (`after`). A paused clock keeps its remaining days and counts them
 * on the current calendar when it resumes; a clock on official data is left as it is.
 */
export function recountClock(clock: Clock, before: Pick<Calendar, 'workingDaysBetween'>, after: Pick<Calendar, 'addWorkingDays'>): Clock {
  if (!clock.estimated || clock.pausedOn) return clock
  const span = Math.max(0, before.workingDaysBetween(clock.acceptedOn, clock.deadline))
  const r = after.addWorkingDays(clock.acceptedOn, span)
  return { ...clock, deadline: r.date, estimated: r.estimated }
}
