// The idle lock's delay, chosen in Settings and remembered per device; apart from the Settings
// screen so the app shell reads it without loading that screen.
const LOCK_KEY = 'daiban.lockMinutes'

export function lockMinutes(): number {
  const n = Number(localStorage.getItem(LOCK_KEY) ?? 10)
  return Number.isFinite(n) && n >= 0 ? n : 10
}

export function setLockMinutes(n: number): void {
  localStorage.setItem(LOCK_KEY, String(n))
}
