// Calendar days as 'YYYY-MM-DD' strings. Days are civil dates in China Standard Time (UTC+8,
// no daylight saving), so arithmetic is done in UTC on the date alone and never drifts.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000
const CHINA_OFFSET_MS = 8 * 3_600_000

export function isValidDay(s: string): boolean {
  const m = DAY.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1) return false
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

export function dayToEpochDays(s: string): number {
  const m = DAY.exec(s)
  if (!m) throw new RangeError(`not a day: ${s}`)
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY
}

export function epochDaysToDay(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10)
}

export function addDays(s: string, n: number): string {
  return epochDaysToDay(dayToEpochDays(s) + n)
}

/** 0 = Sunday … 6 = Saturday */
export function weekday(s: string): number {
  return new Date(dayToEpochDays(s) * MS_PER_DAY).getUTCDay()
}

export function yearOf(s: string): number {
  return Number(s.slice(0, 4))
}

/** The civil day in China at the given instant (ms since epoch). */
export function dayInChina(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

export function todayInChina(): string {
  return dayInChina(Date.now())
}
