import { describe, expect, it } from 'vitest'
import { luhnValid, normalizeBankAccount, validateBankAccount, validateField, normalizeFieldValue, type FieldSpec } from '../../src/core'

describe('bank-account', () => {
  it('accepts spaces and dashes as typed and keeps digits only', () => {
    expect(normalizeBankAccount(' 6222 0212 3456 7890 128 ')).toBe('6222021234567890128')
    expect(normalizeBankAccount('6222-0212-3456-7890')).toBe('6222021234567890')
    expect(normalizeBankAccount('6222 O212')).toBeNull()
  })

  it('checks the Luhn digit (4111 1111 1111 1111 passes, a changed digit fails)', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
    expect(luhnValid('79927398713')).toBe(true)
  })

  it('checks the Luhn digit only where the catalogue asks for it', () => {
    expect(validateBankAccount('4111 1111 1111 1112', true)).toEqual({ valid: false, reason: 'check_digit' })
    expect(validateBankAccount('4111 1111 1111 1112', false)).toEqual({ valid: true, normalized: '4111111111111112' })
    expect(validateBankAccount('1234', false)).toEqual({ valid: false, reason: 'length' })
  })

  it('is a field type: problems by code, stored normalised', () => {
    const f: FieldSpec = { id: 'bank_account_number', label: '银行账号', type: 'bank-account', required: true, luhn: true }
    expect(validateField(f, '4111-1111-1111-1111')).toEqual([])
    expect(validateField(f, '4111-1111-1111-1112')).toMatchObject([{ code: 'bank_check_digit', severity: 'error' }])
    expect(validateField(f, '4111-abcd')).toMatchObject([{ code: 'bank_account' }])
    expect(normalizeFieldValue(f, '4111 1111-1111 1111')).toBe('4111111111111111')
  })
})
