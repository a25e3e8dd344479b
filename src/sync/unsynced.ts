// What the sync bar counts: cases with anything not yet on the server (edits or queued commands),
// not the individual changes — one case typed in offline is "未同步 1 件", however many keystrokes
// it took — and the photos still to upload, with their size.

import type { DaibanDB } from '../store/db'

export interface UnsyncedSummary {
  cases: number
  photos: number
  photoBytes: number
}

export async function unsyncedSummary(db: DaibanDB): Promise<UnsyncedSummary> {
  const cases = new Set<string>()
  await db.updates.where('sent').equals(0).each((u) => void cases.add(u.caseId))
  await db.outbox.where('state').equals('pending').each((o) => void cases.add(o.caseId))
  let photos = 0
  let photoBytes = 0
  await db.blobs.where('uploaded').equals(0).each((b) => {
    photos++
    photoBytes += b.size
  })
  return { cases: cases.size, photos, photoBytes }
}
