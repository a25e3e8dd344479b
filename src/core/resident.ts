// Resident identity checks (GB 11643-1999 citizen ID numbers, mainland mobile numbers)
// and the masking rules for paper and lists (PIPL: show only what the reader needs).

import { isValidDay, todayInChina } from './day'

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const ID_CHECK_CHARS = '10X98765432'
const ID_SHAPE = /^\d{17}[\dX]$/

export const IdReason = {
  empty: 'empty',
  length: 'length',
  characters: 'characters',
  birthDate: 'birth_date',
  futureBirthDate: 'future_birth_date',
  checkCharacter: 'check_character',
} as const
export type IdReason = (typeof IdReason)[keyof typeof IdReason]

export interface IdCheck {
  valid: boolean
  reason?: IdReason
  birthDate?: string
  gender?: 'male' | 'female'
}

export function idCheckCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!
  return ID_CHECK_CHARS[sum % 11]!
}

/** Accepts surrounding spaces and a lowercase x; does not reject abolished area codes. */
export function normalizeIdNumber(s: string): string {
  return s.trim().toUpperCase()
}

export function validateIdNumber(input: string, today: string = todayInChina()): IdCheck {
  const s = normalizeIdNumber(input ?? '')
  if (s === '') return { valid: false, reason: IdReason.empty }
  if (s.length !== 18) return { valid: false, reason: IdReason.length }
  if (!ID_SHAPE.test(s)) return { valid: false, reason: IdReason.characters }
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
  if (!isValidDay(birthDate) || birthDate < '1850-01-01') return { valid: false, reason: IdReason.birthDate }
  if (birthDate > today) return { valid: false, reason: IdReason.futureBirthDate }
  if (idCheckCharacter(s) !== s[17]) return { valid: false, reason: IdReason.checkCharacter }
  const gender = Number(s[16]) % 2 === 1 ? 'male' : 'female'
  return { valid: true, birthDate, gender }
}

/** Age in whole years on `today` of someone born on `birthDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years
}

/** Birth date (digits 7–14), sex (digit 17: odd = male) and age, or null for an invalid number. */
export function idNumberFacts(input: string, today: string = todayInChina()): { birthDate: string; sex: 'male' | 'female'; age: number } | null {
  const r = validateIdNumber(input, today)
  if (!r.valid || !r.birthDate || !r.gender) return null
  return { birthDate: r.birthDate, sex: r.gender, age: ageOn(r.birthDate, today) }
}

/** 340826195603120019 → 340826********0019: area stays (routing), birth date is hidden. */
export function maskIdNumber(s: string): string {
  const id = normalizeIdNumber(s)
  if (id.length < 10) return '*'.repeat(id.length)
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4)
}

const MOBILE = /^(?:\+86|0086)?(1[3-9]\d{9})$/

/** Returns the bare 11-digit number, or null when the input is not a mainland mobile number. */
export function normalizeMobile(input: string): string | null {
  const m = MOBILE.exec((input ?? '').replace(/[\s-]/g, ''))
  return m ? m[1]! : null
}

export function validateMobile(input: string): { valid: boolean; normalized?: string } {
  const n = normalizeMobile(input)
  return n ? { valid: true, normalized: n } : { valid: false }
}

// Landlines: area code (0 + 2–3 digits) and a 7–8 digit number, as 0556-1234567 or 05561234567,
// optionally with an extension (-123).
const LANDLINE = /^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$/

/** The landline as 区号-号码[-分机], or null. */
export function normalizeLandline(input: string): string | null {
  const s = (input ?? '').replace(/\s+/g, '').replace(/^[(（](0\d{2,3})[)）]-?/, '$1-')
  const m = LANDLINE.exec(s)
  if (!m) return null
  const [, area, number, ext] = m
  if (area!.length + number!.length < 10 || area!.length + number!.length > 12) return null
  return `${area}-${number}${ext ? `-${ext}` : ''}`
}

/** A mobile number, or a landline when `landline` allows it; the stored form is normalised. */
export function validatePhone(input: string, landline: boolean): { valid: boolean; normalized?: string } {
  const mobile = normalizeMobile(input)
  if (mobile) return { valid: true, normalized: mobile }
  const fixed = landline ? normalizeLandline(input) : null
  return fixed ? { valid: true, normalized: fixed } : { valid: false }
}

/** 13812345678 → 138****5678 */
export function maskMobile(s: string): string {
  const n = normalizeMobile(s) ?? s
  if (n.length < 7) return '*'.repeat(n.length)
  return n.slice(0, 3) + '*'.repeat(n.length - 7) + n.slice(-4)
}

/** 张三 → 张*, 欧阳娜娜 → 欧**娜: enough for a resident to recognise their own receipt. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length <= 1) return chars.join('')
  if (chars.length === 2) return chars[0] + '*'
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}
