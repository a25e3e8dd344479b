// Residents the station serves: found by name, ID number or phone (prefix search over indexes,
// fast with tens of thousands), validated with the core rules, reused when a case is started.

import { maskIdNumber, maskMobile, normalizeIdNumber, normalizeMobile, validateIdNumber } from '../core'
import type { DaibanDB, ResidentRow } from './db'
import { randomId } from './ids'
import { matchResidents, suffixQuery } from './resident-search'

export interface ResidentInput {
  id?: string
  name: string
  idNumber: string
  phone: string
  address: string
}

export type ResidentProblem = { field: 'name' | 'idNumber' | 'phone' | 'address'; code: string }

export function residentProblems(r: ResidentInput): ResidentProblem[] {
  const problems: ResidentProblem[] = []
  if (!r.name.trim()) problems.push({ field: 'name', code: 'required' })
  else if (r.name.trim().length > 30) problems.push({ field: 'name', code: 'too_long' })
  const id = validateIdNumber(r.idNumber)
  if (!id.valid) problems.push({ field: 'idNumber', code: id.reason === 'empty' ? 'required' : 'id_number' })
  if (r.phone.trim() && !normalizeMobile(r.phone)) problems.push({ field: 'phone', code: 'mobile' })
  if (r.address.length > 100) problems.push({ field: 'address', code: 'too_long' })
  return problems
}

export async function saveResident(db: DaibanDB, village: string, input: ResidentInput, now = new Date()): Promise<{ ok: true; resident: ResidentRow } | { ok: false; problems: ResidentProblem[] }> {
  const problems = residentProblems(input)
  const idNumber = normalizeIdNumber(input.idNumber)
  const duplicate = await db.residents.where('idNumber').equals(idNumber).first()
  if (duplicate && duplicate.id !== input.id) problems.push({ field: 'idNumber', code: 'duplicate' })
  if (problems.length) return { ok: false, problems }
  const prev = input.id ? await db.residents.get(input.id) : undefined
  const resident: ResidentRow = {
    id: prev?.id ?? randomId(),
    name: input.name.trim(),
    idNumber,
    phone: normalizeMobile(input.phone) ?? '',
    address: input.address.trim(),
    village,
    createdAt: prev?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  }
  await db.transaction('rw', db.residents, () => db.residents.put(resident))
  return { ok: true, resident }
}

export interface ResidentListRow {
  id: string
  name: string
  idMasked: string
  phoneMasked: string
  address: string
}

export const toListRow = (r: ResidentRow): ResidentListRow => ({ id: r.id, name: r.name, idMasked: maskIdNumber(r.idNumber), phoneMasked: r.phone ? maskMobile(r.phone) : '', address: r.address })

/**
 * Prefix search on name, ID number and phone, plus the last digits of the ID number or phone and
 * the pinyin initials of the name (resident-search.ts); the most recently updated first.
 */
export async function searchResidents(db: DaibanDB, query: string, limit = 50): Promise<ResidentListRow[]> {
  const q = query.trim()
  if (!q) return (await db.residents.orderBy('updatedAt').reverse().limit(limit).toArray()).map(toListRow)
  const upper = q.toUpperCase()
  const [byName, byId, byPhone] = await Promise.all([
    db.residents.where('name').startsWith(q).limit(limit).toArray(),
    /^[\dX]+$/.test(upper) ? db.residents.where('idNumber').startsWith(upper).limit(limit).toArray() : [],
    /^\d+$/.test(q) ? db.residents.where('phone').startsWith(q).limit(limit).toArray() : [],
  ])
  const extra = suffixQuery(q)
  const byEnding = extra ? await matchResidents(await db.residents.toArray(), extra) : []
  const seen = new Map<string, ResidentRow>()
  for (const r of [...byName, ...byId, ...byPhone, ...byEnding]) seen.set(r.id, r)
  return [...seen.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, limit).map(toListRow)
}
