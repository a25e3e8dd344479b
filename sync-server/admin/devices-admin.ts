// Enrolled devices of an administrator's county with their account and when they last synced.
// First and last sync are read from the log (entries the device sent); compaction merges old
// entries, so "first" is the oldest that remains, and enrolment time is shown beside it.

import { isWithin } from '../../src/core'
import type { Storage } from '../storage'
import { dbOf } from './db'

export interface DeviceView {
  id: string
  label: string
  villageCode: string
  deviceNumber: number
  account: { id: string; username: string; displayName: string }
  enrolledAt: string
  firstSyncAt: string | null
  lastSyncAt: string | null
  /** As the device reported them with its last sync; null before its first report. */
  appVersion: string | null
  unsynced: number | null
  revokedAt: string | null
  /** When the revoked device reported that it erased its data (null: not yet, or never). */
  erasedAt: string | null
}

const iso = (ms: number | null | undefined) => (ms ? new Date(Number(ms)).toISOString() : null)

export async function listDevices(storage: Storage, scope: string): Promise<DeviceView[]> {
  const db = dbOf(storage)
  const rows = await db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    .selectAll('devices')
    .select(['users.username as username', 'users.display_name as display_name'])
    .where('devices.village_code', 'like', `${scope}%`)
    .orderBy('devices.village_code')
    .orderBy('devices.device_number')
    .limit(5000)
    .execute()
  const inScope = rows.filter((r) => isWithin(r.village_code, scope))
  const ids = inScope.map((r) => r.id)
  const seen = new Map<string, { first: number; last: number }>()
  for (let i = 0; i < ids.length; i += 500) {
    const stats = await db
      .selectFrom('updates')
      .select((eb) => ['device_id', eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
      .where('device_id', 'in', ids.slice(i, i + 500))
      .where('origin', '=', 'client')
      .groupBy('device_id')
      .execute()
    for (const s of stats) seen.set(s.device_id, { first: Number(s.first), last: Number(s.last) })
  }
  return inScope.map((r) => ({
    id: r.id,
    label: r.label,
    villageCode: r.village_code,
    deviceNumber: r.device_number,
    account: { id: r.user_id, username: r.username, displayName: r.display_name },
    enrolledAt: iso(r.created_at)!,
    firstSyncAt: iso(seen.get(r.id)?.first),
    // A sync that only pulled writes no log entry: the device's own report says it was there.
    lastSyncAt: iso(Math.max(seen.get(r.id)?.last ?? 0, Number(r.reported_at ?? 0)) || null),
    appVersion: r.app_version ?? null,
    unsynced: r.unsynced ?? null,
    // Revocation is recorded by the device-revocation work (revoked_at); absent until then.
    revokedAt: iso((r as { revoked_at?: number | null }).revoked_at ?? null),
    erasedAt: iso(r.erased_at ?? null),
  }))
}
