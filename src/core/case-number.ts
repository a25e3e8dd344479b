// Case numbers are made offline on the village device and never collide: village code, date,
// the device number assigned at enrolment and the device's daily sequence. A final ISO 7064
// MOD 11-2 check character (the one ID cards use) catches any single mistyped digit, so a
// number read out over the phone is either right or rejected.
//
//   340826106001-260212-003-0007-5
//   village      date   dev seq  check

import type { CaseNumber, VillageCode } from './brand'
import { isValidDay } from './day'
import { isVillageCode } from './org'

export const MAX_DEVICE_NUMBER = 999
export const MAX_DAILY_SEQUENCE = 9999

const CHECK_CHARS = '0123456789X'
const SHAPE = /^(\d{12})-(\d{6})-(\d{3})-(\d{4})-([\dX])$/

/** ISO 7064 MOD 11-2 over a digit string. */
export function mod11_2(digits: string): string {
  let p = 0
  for (const ch of digits) p = ((p + Number(ch)) * 2) % 11
  return CHECK_CHARS[(12 - p) % 11]!
}

export interface CaseNumberParts {
  villageCode: VillageCode
  /** 'YYYY-MM-DD' */
  date: string
  deviceNumber: number
  sequence: number
}

export function newCaseNumber(p: CaseNumberParts): CaseNumber {
  if (!isVillageCode(p.villageCode)) throw new RangeError(`not a village code: ${p.villageCode}`)
  if (!isValidDay(p.date) || p.date < '2000-01-01' || p.date > '2099-12-31') throw new RangeError(`date out of range: ${p.date}`)
  if (!Number.isInteger(p.deviceNumber) || p.deviceNumber < 1 || p.deviceNumber > MAX_DEVICE_NUMBER)
    throw new RangeError(`device number must be 1–${MAX_DEVICE_NUMBER}`)
  if (!Number.isInteger(p.sequence) || p.sequence < 1 || p.sequence > MAX_DAILY_SEQUENCE)
    throw new RangeError(`daily sequence must be 1–${MAX_DAILY_SEQUENCE}`)
  const date = p.date.slice(2).replaceAll('-', '')
  const device = String(p.deviceNumber).padStart(3, '0')
  const seq = String(p.sequence).padStart(4, '0')
  const check = mod11_2(p.villageCode + date + device + seq)
  return `${p.villageCode}-${date}-${device}-${seq}-${check}` as CaseNumber
}

/** Parses a case number (spaces ignored, lowercase x accepted); null if any character is wrong. */
export function parseCaseNumber(input: string): (CaseNumberParts & { caseNumber: CaseNumber }) | null {
  const s = input.replace(/\s+/g, '').toUpperCase()
  const m = SHAPE.exec(s)
  if (!m) return null
  const [, village, yymmdd, device, seq, check] = m as unknown as [string, string, string, string, string, string]
  if (mod11_2(village + yymmdd + device + seq) !== check) return null
  const date = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`
  const deviceNumber = Number(device)
  const sequence = Number(seq)
  if (!isVillageCode(village) || !isValidDay(date) || deviceNumber < 1 || sequence < 1) return null
  return { caseNumber: s as CaseNumber, villageCode: village as VillageCode, date, deviceNumber, sequence }
}
