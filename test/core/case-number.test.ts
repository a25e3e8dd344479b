import { describe, expect, it } from 'vitest'
import { newCaseNumber, parseCaseNumber, type VillageCode } from '../../src/core'

const parts = { villageCode: '340826106001' as VillageCode, date: '2026-02-12', deviceNumber: 3, sequence: 7 }

describe('case-number', () => {
  it('makes a readable number from village, date, device and sequence with a check character', () => {
    const n = newCaseNumber(parts)
    expect(n).toMatch(/^340826106001-260212-003-0007-[\dX]$/)
    expect(parseCaseNumber(n)).toEqual({ caseNumber: n, ...parts })
  })

  it('rejects every single mistyped character', () => {
    const n = newCaseNumber(parts)
    const alphabet = '0123456789X-'
    let tried = 0
    for (let i = 0; i < n.length; i++)
      for (const c of alphabet) {
        if (c === n[i]) continue
        expect(parseCaseNumber(n.slice(0, i) + c + n.slice(i + 1))).toBeNull()
        tried++
      }
    expect(tried).toBe(n.length * (alphabet.length - 1))
  })

  it('rejects a dropped or doubled character', () => {
    const n = newCaseNumber(parts)
    for (let i = 0; i < n.length; i++) {
      expect(parseCaseNumber(n.slice(0, i) + n.slice(i + 1))).toBeNull()
      expect(parseCaseNumber(n.slice(0, i) + n[i] + n.slice(i))).toBeNull()
    }
  })

  it('accepts spaces and a lowercase x when read back', () => {
    for (let seq = 1; seq < 60; seq++) {
      const n = newCaseNumber({ ...parts, sequence: seq })
      expect(parseCaseNumber(` ${n.toLowerCase().replaceAll('-', ' - ')} `)?.caseNumber).toBe(n)
    }
  })

  it('never repeats a number across devices, days and sequences', () => {
    const seen = new Set<string>()
    for (const deviceNumber of [1, 2, 999])
      for (const date of ['2026-02-12', '2026-02-13', '2027-02-12'])
        for (let sequence = 1; sequence <= 300; sequence++) seen.add(newCaseNumber({ ...parts, date, deviceNumber, sequence }))
    expect(seen.size).toBe(3 * 3 * 300)
  })

  it('refuses parts out of range', () => {
    expect(() => newCaseNumber({ ...parts, villageCode: '340826106' as VillageCode })).toThrow(RangeError)
    expect(() => newCaseNumber({ ...parts, deviceNumber: 0 })).toThrow(RangeError)
    expect(() => newCaseNumber({ ...parts, sequence: 10000 })).toThrow(RangeError)
    expect(() => newCaseNumber({ ...parts, date: '2026-02-30' })).toThrow(RangeError)
  })
})
