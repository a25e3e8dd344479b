// Checks a case against its item before it is taken in (收件) or accepted. It returns ALL
// problems at once: the one-time correction notice (一次性告知) is built from this list, and a
// second list for the same submission is exactly what the rules forbid.

import type { BlobHash } from './brand'
import type { FieldSpec, MaterialSpec, ServiceItem } from './catalogue'
import { validateBankAccount } from './bank-account'
import { isValidDay } from './day'
import { deriveValue } from './derived'
import { validateIdNumber, validatePhone } from './resident'

export const MaterialStatuses = ['received', 'to_follow', 'e_certificate', 'missing'] as const
export type MaterialStatus = (typeof MaterialStatuses)[number]

export interface MaterialState {
  status: MaterialStatus
  copies: number
  photos: BlobHash[]
}

export type FormValues = Record<string, string | number | null | undefined>

export const ProblemCode = {
  required: 'required',
  notNumber: 'not_number',
  notMoney: 'not_money',
  notDate: 'not_date',
  belowMin: 'below_min',
  aboveMax: 'above_max',
  tooLong: 'too_long',
  pattern: 'pattern',
  notAnOption: 'not_an_option',
  idNumber: 'id_number',
  mobile: 'mobile',
  phone: 'phone',
  bankAccount: 'bank_account',
  bankCheckDigit: 'bank_check_digit',
  derivedMismatch: 'derived_mismatch',
  materialMissing: 'material_missing',
  materialToFollow: 'material_to_follow',
  tooFewCopies: 'too_few_copies',
  eCertificateNotAllowed: 'e_certificate_not_allowed',
  unknownMaterial: 'unknown_material',
} as const
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode]

export interface CaseProblem {
  /** 'form.<fieldId>' or 'materials.<materialId>' */
  path: string
  code: ProblemCode
  /** 'error' blocks intake; 'warning' is printed on the receipt (容缺: material to follow). */
  severity: 'error' | 'warning'
  params?: Record<string, string | number>
}

const MONEY = /^\d+(\.\d{1,2})?$/
const NUMBER = /^-?\d+(\.\d+)?$/

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
}

function checkRange(f: FieldSpec, n: number, path: string, out: CaseProblem[]): void {
  if (f.min !== undefined && n < f.min) out.push({ path, code: ProblemCode.belowMin, severity: 'error', params: { min: f.min } })
  if (f.max !== undefined && n > f.max) out.push({ path, code: ProblemCode.aboveMax, severity: 'error', params: { max: f.max } })
}

export function validateField(f: FieldSpec, value: unknown, today?: string): CaseProblem[] {
  const path = `form.${f.id}`
  const out: CaseProblem[] = []
  if (isBlank(value)) {
    if (f.required) out.push({ path, code: ProblemCode.required, severity: 'error' })
    return out
  }
  const s = String(value).trim()
  switch (f.type) {
    case 'text':
    case 'textarea':
      break
    case 'number':
      if (!NUMBER.test(s)) out.push({ path, code: ProblemCode.notNumber, severity: 'error' })
      else checkRange(f, Number(s), path, out)
      break
    case 'money':
      if (!MONEY.test(s)) out.push({ path, code: ProblemCode.notMoney, severity: 'error' })
      else checkRange(f, Number(s), path, out)
      break
    case 'date':
      if (!isValidDay(s)) out.push({ path, code: ProblemCode.notDate, severity: 'error' })
      break
    case 'select':
      if (!f.options?.some((o) => o.value === s)) out.push({ path, code: ProblemCode.notAnOption, severity: 'error' })
      break
    case 'id-number': {
      const r = validateIdNumber(s, today)
      if (!r.valid) out.push({ path, code: ProblemCode.idNumber, severity: 'error', params: { reason: r.reason ?? '' } })
      break
    }
    case 'phone':
      if (!validatePhone(s, f.landline === true).valid) out.push({ path, code: f.landline ? ProblemCode.phone : ProblemCode.mobile, severity: 'error' })
      break
    case 'bank-account': {
      const r = validateBankAccount(s, f.luhn === true)
      if (!r.valid) out.push({ path, code: r.reason === 'check_digit' ? ProblemCode.bankCheckDigit : ProblemCode.bankAccount, severity: 'error' })
      break
    }
    default: {
      const unreachable: never = f.type
      throw new Error(`unknown field type ${String(unreachable)}`)
    }
  }
  if (f.maxLength !== undefined && Array.from(s).length > f.maxLength)
    out.push({ path, code: ProblemCode.tooLong, severity: 'error', params: { maxLength: f.maxLength } })
  if (f.pattern && (f.type === 'text' || f.type === 'textarea') && !new RegExp(f.pattern).test(s))
    out.push({ path, code: ProblemCode.pattern, severity: 'error' })
  return out
}

export function validateMaterial(m: MaterialSpec, state: MaterialState | undefined): CaseProblem[] {
  const path = `materials.${m.id}`
  const status = state?.status ?? 'missing'
  switch (status) {
    case 'missing':
      return m.required ? [{ path, code: ProblemCode.materialMissing, severity: 'error' }] : []
    case 'to_follow':
      return m.required ? [{ path, code: ProblemCode.materialToFollow, severity: 'warning' }] : []
    case 'e_certificate':
      return m.eCertificate ? [] : [{ path, code: ProblemCode.eCertificateNotAllowed, severity: 'error' }]
    case 'received':
      return (state?.copies ?? 0) < m.copies
        ? [{ path, code: ProblemCode.tooFewCopies, severity: 'error', params: { copies: m.copies } }]
        : []
    default: {
      const unreachable: never = status
      throw new Error(`unknown material status ${String(unreachable)}`)
    }
  }
}

export function validateCase(
  item: ServiceItem,
  values: FormValues,
  materials: Record<string, MaterialState | undefined>,
  today?: string,
): CaseProblem[] {
  const problems = item.fields.flatMap((f) => validateField(f, values[f.id], today))
  // A derived value must be what its sources give (the device computes it; anyone may have typed it).
  for (const f of item.fields) {
    if (!f.derive) continue
    const expected = deriveValue(f.derive, values, today)
    const actual = values[f.id] === undefined || values[f.id] === null ? '' : String(values[f.id]).trim()
    if (expected !== actual && !problems.some((p) => p.path === `form.${f.id}`))
      problems.push({ path: `form.${f.id}`, code: ProblemCode.derivedMismatch, severity: 'error', params: { expected } })
  }
  problems.push(...item.materials.flatMap((m) => validateMaterial(m, materials[m.id])))
  const known = new Set(item.materials.map((m) => m.id))
  for (const id of Object.keys(materials))
    if (!known.has(id)) problems.push({ path: `materials.${id}`, code: ProblemCode.unknownMaterial, severity: 'error' })
  return problems
}

export function blockingProblems(problems: CaseProblem[]): CaseProblem[] {
  return problems.filter((p) => p.severity === 'error')
}

/** Warnings do not block intake (容缺): they are shown apart from errors and printed on the receipt. */
export function warningProblems(problems: CaseProblem[]): CaseProblem[] {
  return problems.filter((p) => p.severity === 'warning')
}

/** The stored form of a value as typed: digits only for bank accounts, 区号-号码 for landlines. */
export function normalizeFieldValue(f: FieldSpec, value: string): string {
  switch (f.type) {
    case 'bank-account': {
      const r = validateBankAccount(value, false)
      return r.valid ? r.normalized : value
    }
    case 'phone':
      return validatePhone(value, f.landline === true).normalized ?? value
    case 'text':
    case 'textarea':
    case 'number':
    case 'money':
    case 'date':
    case 'select':
    case 'id-number':
      return value
  }
}
