// Bank card and account numbers as agents type them (groups of four with spaces or dashes): stored
// as digits only, checked for length and, where the catalogue asks for it, the Luhn check digit
// (ISO/IEC 7812, used by bank cards; passbook account numbers often have none).

export const BANK_MIN_DIGITS = 12
export const BANK_MAX_DIGITS = 30

/** Digits only, or null when anything but digits, spaces and dashes was typed. */
export function normalizeBankAccount(input: string): string | null {
  const s = (input ?? '').trim()
  if (!/^[\d\s-]+$/.test(s)) return null
  return s.replace(/[\s-]/g, '')
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

export type BankAccountCheck = { valid: true; normalized: string } | { valid: false; reason: 'characters' | 'length' | 'check_digit' }

export function validateBankAccount(input: string, luhn: boolean): BankAccountCheck {
  const n = normalizeBankAccount(input)
  if (n === null) return { valid: false, reason: 'characters' }
  if (n.length < BANK_MIN_DIGITS || n.length > BANK_MAX_DIGITS) return { valid: false, reason: 'length' }
  if (luhn && !luhnValid(n)) return { valid: false, reason: 'check_digit' }
  return { valid: true, normalized: n }
}
