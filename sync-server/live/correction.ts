// No silent divergence on /yjs. A live client applies its own edit before the server judges it;
// when the server refuses it, that client's copy would differ for good. So the server writes a
// correction: the refused update applied to a scratch copy of the case, then every root set back
// to what the server holds. Stored as a server entry, it reaches the refused client (which then
// equals the server again) and everyone else; the refused content itself is garbage-collected away
// (only the ids of the deleted items remain), so nothing the client sent is kept.

import * as Y from 'yjs'
import { CaseRoots, type CaseId } from '../../src/core'
import type { Storage } from '../storage'

/** The log's device id of corrections (never a real device, so no device skips them when pulling). */
export const CORRECTION_DEVICE = 'server-correction'

/** An update that brings a document holding `room` + `refused` back to `room`'s content; null if it cannot. */
export function correctionFor(room: Y.Doc, refused: Uint8Array): Uint8Array | null {
  const scratch = new Y.Doc({ guid: room.guid, gc: true })
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room))
    const before = Y.encodeStateVector(scratch)
    Y.applyUpdate(scratch, refused)
    // Parts that wait for missing history cannot be undone from here.
    if (scratch.store.pendingStructs || scratch.store.pendingDs) return null
    scratch.transact(() => {
      for (const name of CaseRoots) {
        const target = scratch.getMap<unknown>(name)
        const source = room.getMap<unknown>(name)
        for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key)
        for (const [key, value] of source.entries()) {
          if (JSON.stringify(target.get(key)) !== JSON.stringify(value)) target.set(key, structuredClone(value))
        }
      }
    }, 'correction')
    return Y.encodeStateAsUpdate(scratch, before)
  } finally {
    scratch.destroy()
  }
}

/** Appends the correction to the case's log as a server entry; returns its sequence number. */
export async function storeCorrection(storage: Storage, caseId: CaseId, data: Uint8Array, userId: string, deviceId: string, reason: string): Promise<{ seq: number; village: string; audience: number } | null> {
  return storage.syncTransaction(async (tx) => {
    const rec = (await tx.getCases([caseId])).get(caseId)
    if (!rec) return null
    const now = Date.now()
    const seq = (await tx.headSeq()) + 1
    await tx.appendMany([
      // Written by the server, not by the refused device: every device pulls it, that one included.
      { seq, caseId, village: rec.village, township: rec.township, county: rec.county, audience: rec.audience, origin: 'server', deviceId: CORRECTION_DEVICE, userId, data, createdAt: now },
    ])
    await tx.upsertCases([{ ...rec, headSeq: seq, updatedAt: now }])
    await tx.audit([{ caseId, seq, userId, deviceId, action: 'live:refused', detail: { reason }, at: now }])
    return { seq, village: rec.village, audience: rec.audience }
  })
}
