// The year's working-day arrangement as an administrator types it from the State Council notice:
// holiday ranges (e.g. 春节 02-15 to 02-23) and make-up working days, turned into the day lists
// the calendar loads. Every problem is named with its row.

import type { YearArrangement } from './calendar'
import { validateArrangement } from './calendar'
import { addDays, isValidDay } from './day'

export interface HolidayRange {
  name: string
  from: string
  to: string
}

export const MAX_RANGE_DAYS = 15

export function arrangementFromForm(year: number, ranges: HolidayRange[], workdays: string[], source?: string): { arrangement: YearArrangement | null; problems: string[] } {
  const problems: string[] = []
  const holidays: string[] = []
  ranges.forEach((r, i) => {
    if (!isValidDay(r.from) || !isValidDay(r.to)) return void problems.push(`holidays[${i}]: from and to must be days YYYY-MM-DD`)
    if (r.to < r.from) return void problems.push(`holidays[${i}]: ends before it starts`)
    let d = r.from
    for (let n = 0; d <= r.to; n++, d = addDays(d, 1)) {
      if (n >= MAX_RANGE_DAYS) return void problems.push(`holidays[${i}]: longer than ${MAX_RANGE_DAYS} days`)
      holidays.push(d)
    }
  })
  const arrangement: YearArrangement = { year, holidays, workdays: workdays.filter(Boolean), ...(source?.trim() ? { source: source.trim() } : {}) }
  problems.push(...validateArrangement(arrangement))
  return { arrangement: problems.length ? null : arrangement, problems }
}
