// Who may see a photo, and which photos a case may name. Photos are named by their SHA-256, so a
// hash alone must never be a key: a photo is readable by those who may read a case that refers to
// it and by those who uploaded its bytes; a case may name a photo only if its sender uploaded it
// or it already belongs to a case the sender may read (the same resident's ID card in a second
// case). Outside that, the server answers as if it did not hold the photo at all.

import { canRead, type Actor } from '../../src/core'
import type { Storage } from '../storage'

/** Unfinished uploads plus photos no case refers to, per account. */
export const DEFAULT_UPLOAD_QUOTA_BYTES = 64 * 1024 * 1024
/** An unfinished upload untouched this long is dropped. */
export const STALE_UPLOAD_MS = 24 * 3600_000
/** A complete photo no case refers to is kept this long (a device pushes its case soon after). */
export const UNLINKED_BLOB_GRACE_MS = 3 * 24 * 3600_000

/** Whether some case the actor may read refers to the blob. */
export async function readableCaseLinks(storage: Storage, actor: Actor, hash: string): Promise<boolean> {
  for (const caseId of await storage.casesOfBlob(hash)) {
    const c = await storage.getCase(caseId)
    if (c && canRead(actor, c.state)) return true
  }
  return false
}

export async function mayReadBlob(storage: Storage, actor: Actor, hash: string): Promise<boolean> {
  return (await storage.isBlobOwner(hash, actor.userId)) || (await readableCaseLinks(storage, actor, hash))
}

/** What a push needs to judge the photos a case names (reads inside the push's transaction). */
export interface BlobLinkReads {
  /** Of these hashes, those stored complete, with the accounts that uploaded each. */
  blobOwners(hashes: string[]): Promise<Map<string, string[]>>
  /** The cases already referring to each of these hashes. */
  casesOfBlobs(hashes: string[]): Promise<Map<string, string[]>>
  getCases(ids: string[]): Promise<Map<string, { state: Parameters<typeof canRead>[1] }>>
}

/**
 * The hashes a case newly names that its sender may not name: stored photos the sender neither
 * uploaded nor can read through another case. A hash the server does not hold yet is allowed
 * (the device uploads it after the push); the first to finish that upload owns it.
 */
export async function foreignBlobs(tx: BlobLinkReads, actor: Actor, caseId: string, hashes: string[]): Promise<string[]> {
  if (!hashes.length) return []
  const owners = await tx.blobOwners(hashes)
  const stored = hashes.filter((h) => owners.has(h) && !owners.get(h)!.includes(actor.userId))
  if (!stored.length) return []
  const links = await tx.casesOfBlobs(stored)
  const already = [...new Set([...links.values()].flat())]
  const cases = await tx.getCases(already)
  return stored.filter((h) => {
    const ids = links.get(h) ?? []
    if (ids.includes(caseId)) return false // named before: not a new claim
    return !ids.some((id) => {
      const c = cases.get(id)
      return c !== undefined && canRead(actor, c.state)
    })
  })
}
