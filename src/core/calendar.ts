// Working-day arithmetic for statutory time limits. Weekends and public holidays do not count,
// make-up working days (调休, often a Saturday) do. Official data comes from the State Council's
// yearly arrangement: bundled from `chinese-days` for the years it covers, plus arrangements an
// administrator loads (published each autumn for the next year), which win over the bundle.
// A result that depends on a year without official data is flagged `estimated`, never guessed silently.

import bundled from 'chinese-days/dist/chinese-days.json'
import { dayToEpochDays, epochDaysToDay, isValidDay, weekday, yearOf } from './day'

export interface YearArrangement {
  year: number
  /** Days off (statutory holidays and the days moved onto them). */
  holidays: string[]
  /** Make-up working days that fall on a weekend. */
  workdays: string[]
  /** Where the data came from, e.g. the State Council notice number. */
  source?: string
}

export interface WorkingDayResult {
  date: string
  estimated: boolean
}

export interface Calendar {
  isWorkingDay(day: string): boolean
  addWorkingDays(from: string, n: number): WorkingDayResult
  /** Working days d with a < d ≤ b (negative when b < a), so that addWorkingDays(a, n).date = b ⇒ n. */
  workingDaysBetween(a: string, b: string): number
  hasOfficialData(year: number): boolean
  officialYears(): number[]
}

interface YearData {
  holidays: Set<string>
  workdays: Set<string>
}

function assertDay(day: string): void {
  if (!isValidDay(day)) throw new RangeError(`not a valid day 'YYYY-MM-DD': ${day}`)
}

export function validateArrangement(input: unknown): string[] {
  const problems: string[] = []
  if (typeof input !== 'object' || input === null) return ['arrangement: must be an object']
  const a = input as Record<string, unknown>
  if (!Number.isInteger(a.year) || (a.year as number) < 2000 || (a.year as number) > 2200) problems.push('year: must be an integer year')
  const seen = new Set<string>()
  for (const key of ['holidays', 'workdays'] as const) {
    const list = a[key]
    if (!Array.isArray(list)) {
      problems.push(`${key}: must be a list of 'YYYY-MM-DD' days`)
      continue
    }
    list.forEach((d, i) => {
      if (typeof d !== 'string' || !isValidDay(d)) problems.push(`${key}[${i}]: not a valid day`)
      else if (yearOf(d) !== a.year) problems.push(`${key}[${i}]: ${d} is not in ${String(a.year)}`)
      else if (seen.has(d)) problems.push(`${key}[${i}]: ${d} is listed twice`)
      else {
        seen.add(d)
        const wd = weekday(d)
        if (key === 'workdays' && wd !== 0 && wd !== 6) problems.push(`workdays[${i}]: ${d} is a weekday already`)
      }
    })
  }
  if (a.source !== undefined && typeof a.source !== 'string') problems.push('source: must be text')
  return problems
}

function bundledYears(): Map<number, YearData> {
  const years = new Map<number, YearData>()
  const get = (day: string) => {
    const y = yearOf(day)
    let data = years.get(y)
    if (!data) years.set(y, (data = { holidays: new Set(), workdays: new Set() }))
    return data
  }
  for (const day of Object.keys(bundled.holidays)) get(day).holidays.add(day)
  for (const day of Object.keys(bundled.workdays)) get(day).workdays.add(day)
  return years
}

export function createCalendar(arrangements: YearArrangement[] = [], base: Map<number, YearData> = bundledYears()): Calendar {
  const years = new Map(base)
  for (const a of arrangements) {
    const problems = validateArrangement(a)
    if (problems.length) throw new RangeError(`invalid arrangement: ${problems.join('; ')}`)
    years.set(a.year, { holidays: new Set(a.holidays), workdays: new Set(a.workdays) })
  }

  // Queues ask about the same few hundred days over and over: remember the answers.
  const known = new Map<string, boolean>()
  const isWorkingDay = (day: string): boolean => {
    const seen = known.get(day)
    if (seen !== undefined) return seen
    assertDay(day)
    const data = years.get(yearOf(day))
    const wd = weekday(day)
    const working = data?.workdays.has(day) ? true : data?.holidays.has(day) ? false : wd !== 0 && wd !== 6
    if (known.size >= 50_000) known.clear()
    known.set(day, working)
    return working
  }
  const byEpoch = new Map<number, boolean>()
  const workingAt = (e: number): boolean => {
    let w = byEpoch.get(e)
    if (w === undefined) {
      w = isWorkingDay(epochDaysToDay(e))
      if (byEpoch.size >= 50_000) byEpoch.clear()
      byEpoch.set(e, w)
    }
    return w
  }
  const hasOfficialData = (year: number) => years.has(year)
  const estimatedBetween = (a: string, b: string) => {
    const [lo, hi] = a <= b ? [yearOf(a), yearOf(b)] : [yearOf(b), yearOf(a)]
    for (let y = lo; y <= hi; y++) if (!years.has(y)) return true
    return false
  }

  return {
    isWorkingDay,
    hasOfficialData,
    officialYears: () => [...years.keys()].sort((x, y) => x - y),
    addWorkingDays(from, n) {
      assertDay(from)
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`)
      let e = dayToEpochDays(from)
      for (let left = n; left > 0; ) if (workingAt(++e)) left--
      const day = epochDaysToDay(e)
      return { date: day, estimated: estimatedBetween(from, day) }
    },
    workingDaysBetween(a, b) {
      assertDay(a)
      assertDay(b)
      if (b < a) return -this.workingDaysBetween(b, a)
      let count = 0
      for (let e = dayToEpochDays(a) + 1, end = dayToEpochDays(b); e <= end; e++) if (workingAt(e)) count++
      return count
    },
  }
}

// The process-wide calendar: bundled data plus whatever arrangements the deployment has loaded.
let current: Calendar = createCalendar()
let loaded: YearArrangement[] = []

/** Install administrator-loaded arrangements (replacing earlier ones for the same years). */
export function loadArrangements(arrangements: YearArrangement[]): void {
  const byYear = new Map(loaded.map((a) => [a.year, a]))
  for (const a of arrangements) byYear.set(a.year, a)
  const next = [...byYear.values()]
  current = createCalendar(next)
  loaded = next
}

export function resetArrangements(): void {
  loaded = []
  current = createCalendar()
}

export function calendar(): Calendar {
  return current
}

export const isWorkingDay = (day: string) => current.isWorkingDay(day)
export const addWorkingDays = (from: string, n: number) => current.addWorkingDays(from, n)
export const workingDaysBetween = (a: string, b: string) => current.workingDaysBetween(a, b)
export const hasOfficialData = (year: number) => current.hasOfficialData(year)
