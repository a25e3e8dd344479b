// Revocation erases. When the server answers a sync with device_revoked, every account's data on
// the device is deleted (all their databases, and the accounts known here with their wrapped
// keys). What remains is a small record that it happened: the time, to tell the user, and the
// revoked device's id and credential, to report the erase to the server at the next contact
// (POST /api/devices/erased), after which the credential is dropped too.

import Dexie, { type DexieOptions } from 'dexie'
import { userDbName, type DeviceDirectory } from '../store/directory'

export const ERASED = 'device.erased'

export interface EraseRecord {
  at: string
  /** The revoked device, until the server has the report. */
  report: { deviceId: string; userId: string; credential: string } | null
}

export async function eraseDevice(directory: DeviceDirectory, dexie: DexieOptions | undefined, revoked: EraseRecord['report']): Promise<EraseRecord> {
  const users = await directory.users.toArray()
  for (const u of users) await new Dexie(userDbName(u.username), dexie).delete()
  const record: EraseRecord = { at: new Date().toISOString(), report: revoked }
  await directory.transaction('rw', directory.users, directory.settings, async () => {
    await directory.users.clear()
    await directory.settings.put({ key: ERASED, value: record })
  })
  return record
}

/** Sends the erase report if one is waiting; true once the server has it (or refuses it for good). */
export async function reportErase(directory: DeviceDirectory, baseUrl: string, doFetch: typeof fetch = fetch): Promise<boolean> {
  const record = (await directory.settings.get(ERASED))?.value as EraseRecord | undefined
  if (!record?.report) return true
  const { deviceId, userId, credential } = record.report
  const res = await doFetch(`${baseUrl}/api/devices/erased`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-daiban-device': credential },
    body: JSON.stringify({ deviceId, userId }),
  }).catch(() => null)
  // 5xx or no network: try again at the next contact. Any other answer is final.
  if (!res || res.status >= 500) return false
  await directory.transaction('rw', directory.settings, () => directory.settings.put({ key: ERASED, value: { ...record, report: null } }))
  return true
}

export async function erasedAt(directory: DeviceDirectory): Promise<string | null> {
  return ((await directory.settings.get(ERASED))?.value as EraseRecord | undefined)?.at ?? null
}
