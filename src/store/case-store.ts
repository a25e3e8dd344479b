// The device's cases: each edit is a Yjs change whose update is stored at once (nothing typed is
// lost on a crash or a closed tab), with the case summary the lists show updated in the same
// IndexedDB transaction. Documents are rebuilt from the stored updates and kept in a small cache.

import * as Y from 'yjs'
import {
  addNote,
  initCaseDoc,
  maskIdNumber,
  maskName,
  newCaseNumber,
  readForm,
  readMaterials,
  readMeta,
  readWorkflow,
  setFormValue,
  setMaterial,
  todayInChina,
  type BlobHash,
  type CaseId,
  type CaseNumber,
  type Command,
  type MaterialState,
  type Role,
  type ServiceItem,
  type UserId,
  type VillageCode,
} from '../core'
import { searchFieldsOf, type CasePersonal, type CaseRow, type DaibanDB, type OutboxRow } from './db'
import { openUpdates, sealPhoto, sealUpdate } from './sealed-rows'
import { queueFacts } from './queue-facts'
import { randomId } from './ids'

export interface DeviceIdentity {
  deviceId: string
  /** From enrolment; 0 for staff devices that never create cases. */
  deviceNumber: number
  userId: UserId
  role: Role
  scope: string
}

/** A command as the UI gives it: the time is stamped here unless given. */
export type CommandInput = Command extends infer C ? (C extends Command ? Omit<C, 'at'> & { at?: string } : never) : never

const LOCAL = Symbol('local-edit')
const DOC_CACHE = 100

export class CaseStore {
  private docs = new Map<CaseId, Y.Doc>()
  /** Documents being rebuilt: concurrent callers share one, so no edit lands on a copy. */
  private loading = new Map<CaseId, Promise<Y.Doc>>()

  constructor(
    readonly db: DaibanDB,
    readonly identity: DeviceIdentity,
    private now: () => Date = () => new Date(),
  ) {}

  /** The case document rebuilt from every stored update except rejected ones. */
  async doc(caseId: CaseId): Promise<Y.Doc> {
    const cached = this.docs.get(caseId)
    if (cached) {
      this.docs.delete(caseId)
      this.docs.set(caseId, cached)
      return cached
    }
    const inFlight = this.loading.get(caseId)
    if (inFlight) return inFlight
    const load = (async () => {
      const rows = await this.db.updates.where('caseId').equals(caseId).toArray()
      const doc = new Y.Doc({ guid: caseId })
      const updates = await openUpdates(this.db, rows.filter((r) => r.sent !== 2))
      if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates))
      this.remember(caseId, doc)
      return doc
    })().finally(() => this.loading.delete(caseId))
    this.loading.set(caseId, load)
    return load
  }

  forget(caseId: CaseId): void {
    this.docs.get(caseId)?.destroy()
    this.docs.delete(caseId)
  }

  private remember(caseId: CaseId, doc: Y.Doc): void {
    this.docs.set(caseId, doc)
    while (this.docs.size > DOC_CACHE) {
      const oldest = this.docs.keys().next().value as CaseId
      this.forget(oldest)
    }
  }

  /** The next case number of this device today (the daily sequence survives restarts). */
  private async nextCaseNumber(): Promise<CaseNumber> {
    const date = todayInChina()
    const key = `seq:${date}`
    const seq = await this.db.transaction('rw', this.db.kv, async () => {
      const n = (((await this.db.kv.get(key))?.value as number | undefined) ?? 0) + 1
      await this.db.kv.put({ key, value: n })
      return n
    })
    return newCaseNumber({ villageCode: this.identity.scope as VillageCode, date, deviceNumber: this.identity.deviceNumber, sequence: seq })
  }

  async createCase(item: Pick<ServiceItem, 'code' | 'version' | 'name'>): Promise<{ caseId: CaseId; number: CaseNumber }> {
    const caseId = randomId() as CaseId
    const number = await this.nextCaseNumber()
    const doc = new Y.Doc({ guid: caseId })
    this.remember(caseId, doc)
    await this.change(caseId, doc, () =>
      initCaseDoc(doc, {
        id: caseId,
        number,
        item: item.code,
        itemVersion: item.version,
        village: this.identity.scope as VillageCode,
        createdBy: this.identity.userId,
        createdAt: this.now().toISOString(),
        device: this.identity.deviceId,
      }),
      item.name,
    )
    return { caseId, number }
  }

  async setField(caseId: CaseId, fieldId: string, value: string | number | null): Promise<void> {
    const doc = await this.doc(caseId)
    await this.change(caseId, doc, () => setFormValue(doc, fieldId, value))
  }

  async setFields(caseId: CaseId, values: Record<string, string | number | null>): Promise<void> {
    const doc = await this.doc(caseId)
    await this.change(caseId, doc, () => doc.transact(() => Object.entries(values).forEach(([k, v]) => setFormValue(doc, k, v))))
  }

  async setMaterial(caseId: CaseId, materialId: string, state: MaterialState): Promise<void> {
    const doc = await this.doc(caseId)
    await this.change(caseId, doc, () => setMaterial(doc, materialId, state))
  }

  /** Stores a photo of a material (already downscaled) and lists it on the material. */
  async addPhoto(caseId: CaseId, materialId: string, data: Uint8Array, mime = 'image/jpeg', thumb?: Uint8Array): Promise<BlobHash> {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource))
    const hash = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') as BlobHash
    const stored = await sealPhoto(this.db, data, thumb)
    await this.db.transaction('rw', this.db.blobs, () => this.db.blobs.put({ hash, caseId, materialId, mime, size: data.byteLength, ...stored, uploaded: 0 }))
    const doc = await this.doc(caseId)
    const current = readMaterials(doc)[materialId] ?? { status: 'received', copies: 1, photos: [] }
    if (!current.photos.includes(hash)) await this.setMaterial(caseId, materialId, { ...current, photos: [...current.photos, hash] })
    return hash
  }

  /** `id` may carry a structured marker (trips-…, followup-…, reveal-…; see queue-facts.ts). */
  async addNote(caseId: CaseId, text: string, id: string = randomId()): Promise<void> {
    const doc = await this.doc(caseId)
    await this.change(caseId, doc, () => addNote(doc, { id, by: this.identity.userId, role: this.identity.role, at: this.now().toISOString(), text }))
  }

  /** A note carrying a structured record (a printed paper, see core/paper-record.ts). */
  async addRecordNote(caseId: CaseId, id: string, text: string, record: Record<string, unknown>): Promise<void> {
    const doc = await this.doc(caseId)
    await this.change(caseId, doc, () => addNote(doc, { id, by: this.identity.userId, role: this.identity.role, at: this.now().toISOString(), text, ...record }))
  }

  /** Queues a workflow command; the server decides, the answer comes back through sync. */
  async queueCommand(caseId: CaseId, command: CommandInput): Promise<string> {
    const row: OutboxRow = {
      id: randomId(),
      n: 0,
      caseId,
      command: { ...command, at: command.at ?? this.now().toISOString() } as Command,
      createdAt: this.now().toISOString(),
      state: 'pending',
    }
    await this.db.personal.outbox?.set(row.id, { command: row.command })
    await this.db.transaction('rw', this.db.outbox, this.db.cases, async () => {
      row.n = ((await this.db.outbox.orderBy('n').last())?.n ?? 0) + 1
      await this.db.outbox.add(row)
      await this.db.cases.update(caseId, { pendingCommand: row.command.type, updatedAt: row.createdAt })
    })
    return row.id
  }

  /** Runs a local change and stores its update and the new summary atomically. */
  private async change(caseId: CaseId, doc: Y.Doc, fn: () => void, itemName?: string): Promise<void> {
    let update: Uint8Array | null = null
    const capture = (u: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) update = update ? Y.mergeUpdates([update, u]) : u
    }
    doc.on('update', capture)
    try {
      doc.transact(fn, LOCAL)
    } finally {
      doc.off('update', capture)
    }
    if (!update) return
    const stored = await sealUpdate(this.db, update)
    await this.sealPersonal(caseId, doc)
    await this.db.transaction('rw', this.db.updates, this.db.cases, async () => {
      await this.db.updates.add({ caseId, ...stored, sent: 0 })
      const prev = await this.db.cases.get(caseId)
      await this.db.cases.put({ ...this.summarise(caseId, doc, prev, itemName), unsynced: (prev?.unsynced ?? 0) + 1 })
    })
  }

  /** The personal fields of a case's list row, from its document. */
  personalOf(doc: Y.Doc, number?: string): CasePersonal {
    const meta = readMeta(doc)
    const form = readForm(doc)
    const name = typeof form.applicant_name === 'string' ? form.applicant_name : ''
    const id = typeof form.applicant_id === 'string' ? form.applicant_id : ''
    const search = searchFieldsOf(form, meta.number ?? number ?? '')
    return { applicant: name ? maskName(name) : '', applicantId: id ? maskIdNumber(id) : '', applicantKey: search.applicantKey ?? '', searchText: search.searchText ?? '' }
  }

  /** Seals a case row's personal fields before the transaction that writes the row. */
  async sealPersonal(caseId: CaseId, doc: Y.Doc, number?: string): Promise<void> {
    await this.db.personal.cases?.set(caseId, this.personalOf(doc, number))
  }

  /** The list row of a case, derived from its document. */
  summarise(caseId: CaseId, doc: Y.Doc, prev?: CaseRow, itemName?: string): CaseRow {
    const meta = readMeta(doc)
    const { state } = readWorkflow(doc)
    return {
      id: caseId,
      number: meta.number ?? prev?.number ?? '',
      item: meta.item ?? prev?.item ?? '',
      itemName: itemName ?? prev?.itemName ?? '',
      village: meta.village ?? prev?.village ?? '',
      status: state?.status ?? 'draft',
      pendingCommand: prev?.pendingCommand ?? null,
      // Agents see their own residents in full in the detail view; lists stay masked.
      ...this.personalOf(doc, prev?.number),
      deadline: state?.clock?.deadline ?? null,
      createdAt: meta.createdAt ?? prev?.createdAt ?? this.now().toISOString(),
      updatedAt: this.now().toISOString(),
      unsynced: prev?.unsynced ?? 0,
      problem: prev?.problem ?? null,
      ...(state ? { queue: queueFacts(doc, meta.device ?? '') } : {}),
    }
  }

  /** Stores an update brought in by an import file as a pending local change. */
  async applyImported(caseId: CaseId, update: Uint8Array, itemName: string): Promise<void> {
    const doc = await this.doc(caseId)
    Y.applyUpdate(doc, update, 'import')
    const stored = await sealUpdate(this.db, update)
    await this.sealPersonal(caseId, doc)
    await this.db.transaction('rw', this.db.updates, this.db.cases, async () => {
      await this.db.updates.add({ caseId, ...stored, sent: 0 })
      const prev = await this.db.cases.get(caseId)
      await this.db.cases.put({ ...this.summarise(caseId, doc, prev, prev?.itemName || itemName), unsynced: (prev?.unsynced ?? 0) + 1 })
    })
  }

  /**
   * The document of a case with updates from the server applied (their rows are stored by the
   * caller afterwards): the cached document itself, or a new one not cached.
   */
  async docWith(caseId: CaseId, updates: Uint8Array[]): Promise<Y.Doc> {
    let doc = this.docs.get(caseId)
    if (!doc) {
      doc = new Y.Doc({ guid: caseId })
      const stored = await openUpdates(this.db, (await this.db.updates.where('caseId').equals(caseId).toArray()).filter((r) => r.sent !== 2))
      if (stored.length) Y.applyUpdate(doc, Y.mergeUpdates(stored))
    }
    for (const u of updates) Y.applyUpdate(doc, u, 'remote')
    return doc
  }

  /** Applies updates that came from the server to cached documents (rows are stored by the caller). */
  applyRemote(caseId: CaseId, update: Uint8Array): Y.Doc | undefined {
    const doc = this.docs.get(caseId)
    if (doc) Y.applyUpdate(doc, update, 'remote')
    return doc
  }
}
