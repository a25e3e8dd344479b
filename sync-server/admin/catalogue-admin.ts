// The service catalogue for administrators: every item with all its versions; an edit is saved
// as the next version (published versions never change: cases keep the version they were taken
// in under). Validation problems come back all at once, each with its path.

import { DaibanError, ErrorCode, validateCatalogue, type ServiceItem } from '../../src/core'
import type { Storage } from '../storage'
import type { AdminActor } from './accounts'
import { dbOf } from './db'

export interface ItemVersions {
  code: string
  name: string
  versions: ServiceItem[]
}

export async function listItemVersions(storage: Storage): Promise<ItemVersions[]> {
  const rows = await dbOf(storage).selectFrom('items').select(['code', 'version', 'data']).orderBy('code').orderBy('version').execute()
  const byCode = new Map<string, ServiceItem[]>()
  for (const r of rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), JSON.parse(r.data) as ServiceItem])
  return [...byCode].map(([code, versions]) => ({ code, name: versions.at(-1)!.name, versions }))
}

/** Saves `item` as the next version of its code (the version in the body is ignored). */
export async function saveItemVersion(storage: Storage, code: string, item: unknown, by: AdminActor): Promise<ServiceItem> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new DaibanError(ErrorCode.validation, 'item: must be an object', { problems: ['item: must be an object'] })
  const db = dbOf(storage)
  const latest = await db.selectFrom('items').select((eb) => eb.fn.max('version').as('v')).where('code', '=', code).executeTakeFirst()
  const version = Number(latest?.v ?? 0) + 1
  const next = { ...(item as ServiceItem), code: code as ServiceItem['code'], version }
  const problems = validateCatalogue({ items: [next] }).map((p) => p.replace(/^items\[0\]/, 'item'))
  if (problems.length) throw new DaibanError(ErrorCode.validation, `the item has ${problems.length} problems`, { problems })
  try {
    await db.insertInto('items').values({ code, version, data: JSON.stringify(next) }).execute()
  } catch (e) {
    if (/unique|duplicate key|constraint/i.test(String((e as Error).message))) throw new DaibanError(ErrorCode.conflict, 'another version was saved at the same moment; reload and try again')
    throw e
  }
  await storage.appendAudit([{ caseId: '', seq: null, userId: by.userId, deviceId: by.deviceId, action: 'catalogue:version', detail: { code, version }, at: Date.now() }])
  return next
}
