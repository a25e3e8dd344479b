import { describe, expect, it } from 'vitest'
import { idCheckCharacter, maskIdNumber, maskMobile, maskName, validateIdNumber, validateMobile } from '../../src/core'

// Test data only: valid numbers published for testing (DOMAIN.md), not real residents.
const VALID = ['11010519491231002X', '440524188001010014', '340826195603120019', '34082619480705002X']

describe('validateIdNumber', () => {
  it('accepts the published test numbers with birth date and gender', () => {
    for (const id of VALID) expect(validateIdNumber(id, '2026-11-27').valid).toBe(true)
    expect(validateIdNumber('340826195603120019', '2026-11-27')).toEqual({ valid: true, birthDate: '1956-03-12', gender: 'male' })
    expect(validateIdNumber('34082619480705002X', '2026-11-27')).toEqual({ valid: true, birthDate: '1948-07-05', gender: 'female' })
  })

  it('accepts a lowercase x and surrounding spaces', () => {
    expect(validateIdNumber(' 11010519491231002x ', '2026-11-27').valid).toBe(true)
  })

  it('rejects every single wrong check character', () => {
    for (const id of VALID) {
      for (const c of '0123456789X') {
        if (c === id[17]) continue
        expect(validateIdNumber(id.slice(0, 17) + c, '2026-11-27')).toEqual({ valid: false, reason: 'check_character' })
      }
    }
  })

  it('rejects any single mistyped digit in the first 17', () => {
    const id = '340826195603120019'
    for (let i = 0; i < 17; i++) {
      for (const d of '0123456789') {
        if (d === id[i]) continue
        expect(validateIdNumber(id.slice(0, i) + d + id.slice(i + 1), '2026-11-27').valid).toBe(false)
      }
    }
  })

  it('computes the check character with the GB 11643 weights', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X')
    expect(idCheckCharacter('44052418800101001')).toBe('4')
  })

  it('rejects impossible and future birth dates even with a correct check character', () => {
    const withCheck = (first17: string) => first17 + idCheckCharacter(first17)
    expect(validateIdNumber(withCheck('34082619560230001'), '2026-11-27').reason).toBe('birth_date') // 30 February
    expect(validateIdNumber(withCheck('34082619561301001'), '2026-11-27').reason).toBe('birth_date') // month 13
    expect(validateIdNumber(withCheck('34082620270101001'), '2026-11-27').reason).toBe('future_birth_date')
    expect(validateIdNumber(withCheck('34082620000229001'), '2026-11-27').valid).toBe(true) // leap day
  })

  it('names the problem with a wrong length or characters', () => {
    expect(validateIdNumber('', '2026-11-27').reason).toBe('empty')
    expect(validateIdNumber('3408261956031200', '2026-11-27').reason).toBe('length')
    expect(validateIdNumber('34082619560312001Y', '2026-11-27').reason).toBe('characters')
  })

  it('does not reject an abolished area code', () => {
    const first17 = '11010019491231002' // 110100 is no longer an area code
    expect(validateIdNumber(first17 + idCheckCharacter(first17), '2026-11-27').valid).toBe(true)
  })
})

describe('masking', () => {
  it('masks an ID number keeping area and last four', () => {
    expect(maskIdNumber('340826195603120019')).toBe('340826********0019')
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X')
  })

  it('masks a mobile number as 138****5678', () => {
    expect(maskMobile('13812345678')).toBe('138****5678')
    expect(maskMobile('+86 138 1234 5678')).toBe('138****5678')
  })

  it('masks a name keeping the first and last character', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('王小明')).toBe('王*明')
    expect(maskName('欧阳娜娜')).toBe('欧**娜')
  })
})

describe('validateMobile', () => {
  it('accepts mainland mobiles with optional +86 or 0086', () => {
    expect(validateMobile('13812345678')).toEqual({ valid: true, normalized: '13812345678' })
    expect(validateMobile('+8619912345678').normalized).toBe('19912345678')
    expect(validateMobile('0086 159-1234-5678').normalized).toBe('15912345678')
  })

  it('rejects numbers that are not mobiles', () => {
    for (const s of ['12812345678', '1381234567', '138123456789', '05561234567', 'abc', '']) expect(validateMobile(s).valid).toBe(false)
  })
})

describe('resident: phones and ID facts', () => {
  it('accepts a landline with area code only where allowed, and says which is wrong', async () => {
    const { validatePhone, normalizeLandline, validateField } = await import('../../src/core')
    expect(normalizeLandline('0556-1234567')).toBe('0556-1234567')
    expect(normalizeLandline('(0556) 1234567')).toBe('0556-1234567')
    expect(normalizeLandline('010-12345678')).toBe('010-12345678')
    expect(normalizeLandline('1234567')).toBeNull()
    expect(validatePhone('0556-1234567', true)).toEqual({ valid: true, normalized: '0556-1234567' })
    expect(validatePhone('0556-1234567', false)).toEqual({ valid: false })
    expect(validatePhone('+86 138 1234 5678', false)).toEqual({ valid: true, normalized: '13812345678' })
    expect(validateField({ id: 'p', label: 'p', type: 'phone', required: true }, '0556-1234567')).toMatchObject([{ code: 'mobile' }])
    expect(validateField({ id: 'p', label: 'p', type: 'phone', required: true, landline: true }, '0556-12345')).toMatchObject([{ code: 'phone' }])
    expect(validateField({ id: 'p', label: 'p', type: 'phone', required: true, landline: true }, '0556-1234567')).toEqual([])
  })

  it('reads birth date, sex (digit 17 odd = male) and age on a day from an ID number (test data)', async () => {
    const { idNumberFacts } = await import('../../src/core')
    expect(idNumberFacts('340826195603120019', '2026-03-11')).toEqual({ birthDate: '1956-03-12', sex: 'male', age: 69 })
    expect(idNumberFacts('340826195603120019', '2026-03-12')).toEqual({ birthDate: '1956-03-12', sex: 'male', age: 70 })
    expect(idNumberFacts('11010519491231002X', '2026-01-01')).toMatchObject({ sex: 'female', age: 76 })
    expect(idNumberFacts('340826195603120018', '2026-01-01')).toBeNull()
  })
})
