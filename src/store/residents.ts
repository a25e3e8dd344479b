// Residents the station serves: found by name, ID number or phone, validated with the core rules,
// reused when a case is started. Stored sealed (sealed-fields.ts): a search runs over the fields
// held in the worker's memory while unlocked, and an exact ID number or phone is looked up by its
// keyed tag (HMAC), the only form of it the database indexes. Without a sealer (tests, the
// upgrade) the plaintext indexes serve as before.

import { maskIdNumber, maskMobile, normalizeIdNumber, normalizeMobile, validateIdNumber } from '../core'
import type { DaibanDB, ResidentPersonal, ResidentRow } from './db'
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
  const duplicate = await findByIdNumber(db, idNumber)
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
  const sealed = db.personal.residents
  if (db.sealer && sealed) {
    await sealed.set(resident.id, { name: resident.name, idNumber: resident.idNumber, phone: resident.phone, address: resident.address })
    resident.idTag = await residentTag(db, 'id', resident.idNumber)
    resident.phoneTag = resident.phone ? await residentTag(db, 'phone', resident.phone) : ''
  }
  await db.transaction('rw', db.residents, () => db.residents.put(resident))
  return { ok: true, resident }
}

/** The keyed tag of a resident's ID number or phone (exact look-up of sealed rows). */
export function residentTag(db: DaibanDB, kind: 'id' | 'phone', value: string): Promise<string> {
  if (!db.sealer) throw new Error('the store is locked')
  return db.sealer.tag(`resident.${kind}`, value)
}

export async function findByIdNumber(db: DaibanDB, idNumber: string): Promise<ResidentRow | undefined> {
  if (db.sealer && db.personal.residents) return db.residents.where('idTag').equals(await residentTag(db, 'id', idNumber)).first()
  return db.residents.where('idNumber').equals(idNumber).first()
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
  const memory = db.personal.residents
  if (db.sealer && memory) return searchSealed(db, memory.entries(), q, upper, limit)
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

/** Over the fields in memory: exact ID number or phone by tag, prefixes by scanning the memory. */
async function searchSealed(db: DaibanDB, entries: Iterable<[string, ResidentPersonal]>, q: string, upper: string, limit: number): Promise<ResidentListRow[]> {
  const ids = new Set<string>()
  if (/^\d{17}[\dX]$/.test(upper)) for (const r of await db.residents.where('idTag').equals(await residentTag(db, 'id', upper)).toArray()) ids.add(r.id)
  else if (/^1\d{10}$/.test(q)) for (const r of await db.residents.where('phoneTag').equals(await residentTag(db, 'phone', q)).toArray()) ids.add(r.id)
  else {
    const digits = /^[\dX]+$/.test(upper)
    const phone = /^\d+$/.test(q)
    const all = [...entries]
    for (const [id, p] of all)
      if (p.name.startsWith(q) || (digits && p.idNumber.startsWith(upper)) || (phone && p.phone.startsWith(q))) ids.add(id)
    // Endings of ID numbers and phones, and pinyin initials, over the same fields in memory.
    const extra = suffixQuery(q)
    if (extra) for (const r of await matchResidents(all.map(([id, p]) => ({ id, ...p })), extra)) ids.add(r.id)
  }
  const rows = (await db.residents.bulkGet([...ids])).filter((r): r is ResidentRow => r !== undefined)
  return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, limit).map(toListRow)
}
