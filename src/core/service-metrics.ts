// The service centre's figures from the article: on-time completion (按时办结率 ≥ 99.5 %), on-the-spot
// handling (即办件率 ≥ 85 %) and satisfaction (服务满意率 ≥ 99.9 %), plus the derived figures a
// supervisor reads beside them. Storage sums per group; this turns the sums into rates, so the
// database does the counting and the arithmetic lives in one tested place.

import { addDays, weekday } from './day'

export const MetricTargets = { onTimeRate: 0.995, onTheSpotRate: 0.85, satisfactionRate: 0.999 } as const
export const MetricGroupings = ['county', 'township', 'village', 'department', 'item'] as const
export type MetricGrouping = (typeof MetricGroupings)[number]

/** Counts of one group over a period, as storage sums them. */
export interface MetricSums {
  /** Cases submitted (taken in and forwarded) in the period. */
  takenIn: number
  /** Of those, instant items (即办件). */
  instant: number
  /** Of those, returned for correction at least once. */
  returned: number
  accepted: number
  completed: number
  /** Completed in the period with a deadline, and of those by the deadline. */
  withDeadline: number
  onTime: number
  /** Working days from acceptance to completion, summed over `completed`. */
  workDays: number
  /** Delivered cases with the resident's trips recorded, their sum and how many had none. */
  tripsKnown: number
  trips: number
  zeroTrips: number
  /** Ratings given on cases completed in the period: index 0 = 1 (非常不满意) … 4 = 5 (非常满意). */
  ratings: [number, number, number, number, number]
}

export interface MetricFigures {
  takenIn: number
  accepted: number
  completed: number
  onTimeRate: number | null
  onTheSpotRate: number | null
  averageWorkingDays: number | null
  returnRate: number | null
  averageTrips: number | null
  zeroTripShare: number | null
  ratings: { veryGood: number; good: number; fair: number; bad: number; veryBad: number }
  satisfactionRate: number | null
  meetsTargets: { onTime: boolean | null; onTheSpot: boolean | null; satisfaction: boolean | null }
}

export function emptySums(): MetricSums {
  return { takenIn: 0, instant: 0, returned: 0, accepted: 0, completed: 0, withDeadline: 0, onTime: 0, workDays: 0, tripsKnown: 0, trips: 0, zeroTrips: 0, ratings: [0, 0, 0, 0, 0] }
}

export function addSums(a: MetricSums, b: MetricSums): MetricSums {
  return {
    takenIn: a.takenIn + b.takenIn,
    instant: a.instant + b.instant,
    returned: a.returned + b.returned,
    accepted: a.accepted + b.accepted,
    completed: a.completed + b.completed,
    withDeadline: a.withDeadline + b.withDeadline,
    onTime: a.onTime + b.onTime,
    workDays: a.workDays + b.workDays,
    tripsKnown: a.tripsKnown + b.tripsKnown,
    trips: a.trips + b.trips,
    zeroTrips: a.zeroTrips + b.zeroTrips,
    ratings: a.ratings.map((n, i) => n + b.ratings[i]!) as MetricSums['ratings'],
  }
}

/** A ratio rounded to 4 decimals, or null when there is nothing to divide by. */
export function ratio(num: number, den: number): number | null {
  return den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null
}

const meets = (v: number | null, target: number) => (v === null ? null : v >= target)

export function figuresOf(s: MetricSums): MetricFigures {
  const rated = s.ratings.reduce((a, b) => a + b, 0)
  const satisfied = s.ratings[2] + s.ratings[3] + s.ratings[4]
  const onTimeRate = ratio(s.onTime, s.withDeadline)
  const onTheSpotRate = ratio(s.instant, s.takenIn)
  const satisfactionRate = ratio(satisfied, rated)
  return {
    takenIn: s.takenIn,
    accepted: s.accepted,
    completed: s.completed,
    onTimeRate,
    onTheSpotRate,
    averageWorkingDays: s.completed ? Math.round((s.workDays / s.completed) * 100) / 100 : null,
    returnRate: ratio(s.returned, s.takenIn),
    averageTrips: s.tripsKnown ? Math.round((s.trips / s.tripsKnown) * 100) / 100 : null,
    zeroTripShare: ratio(s.zeroTrips, s.tripsKnown),
    ratings: { veryGood: s.ratings[4], good: s.ratings[3], fair: s.ratings[2], bad: s.ratings[1], veryBad: s.ratings[0] },
    satisfactionRate,
    meetsTargets: {
      onTime: meets(onTimeRate, MetricTargets.onTimeRate),
      onTheSpot: meets(onTheSpotRate, MetricTargets.onTheSpotRate),
      satisfaction: meets(satisfactionRate, MetricTargets.satisfactionRate),
    },
  }
}

/** The Monday of the week a day falls in (weeks run Monday to Sunday). */
export function weekOf(day: string): string {
  return addDays(day, -((weekday(day) + 6) % 7))
}

export interface DayCounts {
  day: string
  takenIn: number
  withDeadline: number
  onTime: number
}

export interface WeekPoint {
  week: string
  takenIn: number
  onTimeRate: number | null
}

/** Folds per-day counts into a continuous weekly series from `from` to `to` (empty weeks included). */
export function weeklySeries(days: readonly DayCounts[], from: string, to: string): WeekPoint[] {
  const weeks = new Map<string, { takenIn: number; withDeadline: number; onTime: number }>()
  for (let w = weekOf(from); w <= to; w = addDays(w, 7)) weeks.set(w, { takenIn: 0, withDeadline: 0, onTime: 0 })
  for (const d of days) {
    const w = weeks.get(weekOf(d.day))
    if (!w) continue
    w.takenIn += d.takenIn
    w.withDeadline += d.withDeadline
    w.onTime += d.onTime
  }
  return [...weeks].map(([week, w]) => ({ week, takenIn: w.takenIn, onTimeRate: ratio(w.onTime, w.withDeadline) }))
}
