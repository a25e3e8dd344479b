// Moving unsynced work between devices by file (a tablet about to be sent for repair, a USB stick
// to the township). The file holds each unsynced case's full document, its pending commands and
// its photos not yet uploaded. Importing twice, or importing what the server already has, adds
// nothing: documents merge, commands and photos are keyed by id and hash.

import * as Y from 'yjs'
import { applyAndInspect, type CaseId } from '../core'
import type { CaseStore } from './case-store'
import type { OutboxRow } from './db'
import { openPhoto, sealPhoto } from './sealed-rows'

export const TRANSFER_FORMAT = 'daiban-unsynced'
export const TRANSFER_VERSION = 1

interface TransferFile {
  format: typeof TRANSFER_FORMAT
  version: number
  exportedAt: string
  exportedBy: string
  cases: { caseId: CaseId; itemName: string; state: string }[]
  commands: OutboxRow[]
  photos: { hash: string; caseId: CaseId; materialId: string; mime: string; data: string }[]
}

const toB64 = (b: Uint8Array) => {
  let s = ''
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000))
  return btoa(s)
}
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))

export async function exportUnsynced(store: CaseStore): Promise<{ json: string; cases: number; commands: number; photos: number }> {
  const db = store.db
  const pendingCommands = (await db.outbox.where('state').equals('pending').toArray()).map(({ x: _sealed, ...c }) => c)
  const ids = new Set<CaseId>([...(await db.cases.where('unsynced').above(0).primaryKeys()), ...pendingCommands.map((c) => c.caseId)])
  const cases: TransferFile['cases'] = []
  for (const caseId of ids) {
    const doc = await store.doc(caseId)
    cases.push({ caseId, itemName: (await db.cases.get(caseId))?.itemName ?? '', state: toB64(Y.encodeStateAsUpdate(doc)) })
  }
  const photos: TransferFile['photos'] = []
  for (const b of await db.blobs.where('uploaded').equals(0).toArray())
    if (ids.has(b.caseId)) photos.push({ hash: b.hash, caseId: b.caseId, materialId: b.materialId, mime: b.mime, data: toB64(await openPhoto(db, b)) })
  const file: TransferFile = {
    format: TRANSFER_FORMAT,
    version: TRANSFER_VERSION,
    exportedAt: new Date().toISOString(),
    exportedBy: store.identity.userId,
    cases,
    commands: pendingCommands,
    photos,
  }
  return { json: JSON.stringify(file), cases: cases.length, commands: pendingCommands.length, photos: photos.length }
}

export class TransferError extends Error {}

export async function importUnsynced(store: CaseStore, json: string): Promise<{ cases: number; commands: number; photos: number }> {
  let file: TransferFile
  try {
    file = JSON.parse(json) as TransferFile
  } catch {
    throw new TransferError('not a Daiban export file')
  }
  if (file.format !== TRANSFER_FORMAT || file.version !== TRANSFER_VERSION || !Array.isArray(file.cases)) throw new TransferError('not a Daiban export file of a known version')
  if (file.exportedBy !== store.identity.userId) throw new TransferError('this file was exported by another account')
  const db = store.db
  let cases = 0
  for (const c of file.cases) {
    const update = fromB64(c.state)
    const doc = await store.doc(c.caseId)
    // Only what this device lacks becomes a pending update; nothing new, nothing added. (A diff
    // against the state vector always carries the delete set, so try it on a copy instead.)
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc))
    const changed = !applyAndInspect(scratch, update).noop
    scratch.destroy()
    if (!changed) continue
    const missing = Y.diffUpdate(update, Y.encodeStateVector(doc))
    await store.applyImported(c.caseId, missing, c.itemName)
    cases++
  }
  let commands = 0
  for (const cmd of file.commands) {
    if (await db.outbox.get(cmd.id)) continue
    await db.personal.outbox?.set(cmd.id, { command: cmd.command })
    await db.transaction('rw', db.outbox, db.cases, async () => {
      await db.outbox.add({ ...cmd, n: ((await db.outbox.orderBy('n').last())?.n ?? 0) + 1, state: 'pending' })
      await db.cases.update(cmd.caseId, { pendingCommand: cmd.command.type })
    })
    commands++
  }
  let photos = 0
  for (const p of file.photos) {
    if (await db.blobs.get(p.hash)) continue
    const data = fromB64(p.data)
    const stored = await sealPhoto(db, data)
    await db.transaction('rw', db.blobs, () => db.blobs.put({ hash: p.hash, caseId: p.caseId, materialId: p.materialId, mime: p.mime, size: data.byteLength, ...stored, uploaded: 0 }))
    photos++
  }
  return { cases, commands, photos }
}
