// Changing the photos of a material before the case is taken in: rotate (the turned picture
// replaces the old one, so the township sees it upright) and delete. Both are refused once the
// case is taken in or sent on — then the photos are part of the submission.

import { readMaterials, readWorkflow, type CaseId } from '../core'
import type { CaseStore } from '../store/case-store'
import type { DaibanDB } from '../store/db'
import { openPhoto } from '../store/sealed-rows'
import { rotatePhoto } from './photos'

async function assertEditable(db: DaibanDB, store: CaseStore, caseId: CaseId): Promise<void> {
  const status = readWorkflow(await store.doc(caseId)).state?.status ?? 'draft'
  const pending = await db.outbox.where('caseId').equals(caseId).filter((o) => o.state === 'pending' && o.command.type === 'submit').count()
  if ((status !== 'draft' && status !== 'returned') || pending > 0) throw new Error('the photos of a case taken in cannot be changed')
}

/** Takes the photo off the material; the stored bytes go too while the server has not heard of them. */
export async function removePhoto(db: DaibanDB, store: CaseStore, caseId: CaseId, materialId: string, hash: string): Promise<void> {
  await assertEditable(db, store, caseId)
  const current = readMaterials(await store.doc(caseId))[materialId]
  if (current?.photos.includes(hash as never)) await store.setMaterial(caseId, materialId, { ...current, photos: current.photos.filter((h) => h !== hash) })
  const blob = await db.blobs.get(hash)
  if (blob && (await forgettable(db, caseId, blob.uploaded))) await db.transaction('rw', db.blobs, () => db.blobs.delete(hash))
}

/** The bytes may go when the server never heard of the photo: nothing of the case was sent yet. */
async function forgettable(db: DaibanDB, caseId: CaseId, uploaded: 0 | 1): Promise<boolean> {
  return uploaded === 0 && (await db.updates.where('[caseId+sent]').equals([caseId, 1]).count()) === 0
}

/** Replaces the photo with itself turned a quarter clockwise, in the same place on the material. */
export async function turnPhoto(db: DaibanDB, store: CaseStore, caseId: CaseId, materialId: string, hash: string): Promise<string> {
  await assertEditable(db, store, caseId)
  const blob = await db.blobs.get(hash)
  if (!blob) throw new Error('photo not on this device')
  const turned = await rotatePhoto(new Blob([(await openPhoto(db, blob)) as BlobPart], { type: blob.mime }))
  const next = await store.addPhoto(caseId, materialId, turned.data, turned.mime, turned.thumb)
  if (blob.quality) await db.blobs.update(next, { quality: blob.quality })
  const current = readMaterials(await store.doc(caseId))[materialId]
  if (current) {
    const photos = current.photos.filter((h) => h !== next).flatMap((h) => (h === hash ? [next] : [h]))
    await store.setMaterial(caseId, materialId, { ...current, photos })
  }
  if (await forgettable(db, caseId, blob.uploaded)) await db.transaction('rw', db.blobs, () => db.blobs.delete(hash))
  return next
}
