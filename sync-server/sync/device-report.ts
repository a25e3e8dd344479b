// What a device says about itself with each sync (its app version and how much it had not synced
// yet) is kept on its row for the administrator's device list. The header was checked with bounds
// (core/sync-protocol.ts); only the sender's own enrolled device row is written.

import type { ClientReport } from '../../src/core'
import { dbOf } from '../admin/db'
import type { Storage } from '../storage'

export async function recordDeviceReport(storage: Storage, userId: string, deviceId: string, report: ClientReport, now: number): Promise<void> {
  await dbOf(storage)
    .updateTable('devices')
    .set({ app_version: report.appVersion, unsynced: report.unsynced, reported_at: now })
    .where('id', '=', deviceId)
    .where('user_id', '=', userId)
    .execute()
}
