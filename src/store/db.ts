// The device's IndexedDB database (Dexie). One table of Yjs updates for all cases, an outbox of
// workflow commands, case summaries for lists, photos, residents, the catalogue and sync state.
// Versions only ever add: an older database opens and keeps its data (see test/store/upgrade).

import Dexie, { type DexieOptions, type Table } from 'dexie'
import * as Y from 'yjs'
import { readForm, type CaseId, type CaseStatus, type Command, type ServiceItem } from '../core'
import type { Sealer } from './sealed'
import type { SealedFields } from './sealed-fields'

/** A Yjs update of one case. sent: 0 = local, not yet acknowledged; 1 = on the server (acknowledged or pulled); 2 = rejected by the server. */
export interface UpdateRow {
  i?: number
  caseId: CaseId
  /** The update in the clear: only in rows written before encryption (see sealed-rows.ts). */
  update?: Uint8Array
  /** The update sealed with the account's data key. */
  x?: Uint8Array
  sent: 0 | 1 | 2
}

export interface OutboxRow {
  id: string
  /** Queue order: commands of a device are sent in the order they were given. */
  n: number
  caseId: CaseId
  command: Command
  createdAt: string
  /** pending → answered (kept until the UI has shown a refusal) */
  state: 'pending' | 'answered'
  answer?: { ok: boolean; code?: string; message?: string; status?: string }
  /** Sealed `command` (stored instead of it; see sealed-fields.ts). */
  x?: Uint8Array
}

export interface CaseRow {
  id: CaseId
  number: string
  item: string
  itemName: string
  village: string
  status: CaseStatus
  /** A command is queued but not yet answered (e.g. taken in, waiting to sync). */
  pendingCommand: string | null
  applicant: string
  applicantId: string
  deadline: string | null
  createdAt: string
  updatedAt: string
  /** Local changes not yet acknowledged by the server. */
  unsynced: number
  /** The last problem the server reported for this case (rejected update, refused command). */
  problem: string | null
  /** Since v2: the applicant's ID number (normalised), to find a resident's cases. Device-only. */
  applicantKey?: string
  /** Since v2: lower-case text the list search looks in (number, names, ID, phone). Device-only. */
  searchText?: string
  /** Since the queue screens: routing and decision facts staff lists filter and sort on. */
  queue?: QueueFacts
  /** Sealed personal fields (applicant, applicantId, applicantKey, searchText), stored instead of them. */
  x?: Uint8Array
}

/** The personal fields of a case row: stored only sealed, held in memory while unlocked. */
export interface CasePersonal extends Record<string, unknown> {
  applicant: string
  applicantId: string
  applicantKey: string
  searchText: string
}
export const CASE_PERSONAL: CasePersonal = { applicant: '', applicantId: '', applicantKey: '', searchText: '' }

/** What the township and county queues show of a case, read from its workflow (see case-store summarise). */
export interface QueueFacts {
  department: string
  level: 'township' | 'county'
  kind: 'instant' | 'promised'
  limitDays: number
  /** Server time of the latest submission (receipt at the township). */
  submittedAt: string | null
  /** Server time of the last decision of any kind. */
  decidedAt: string | null
  deadlineEstimated: boolean
  paused: boolean
  suspended: boolean
  submission: number
  /** Clerk holding a live or lapsed claim, if the workflow knows claims. */
  holder: { userId: string; name: string; until: string } | null
  rating: number | null
  /** The device that took the case in (batches are per village and device). */
  device: string
  acceptedOn: string | null
  completedOn: string | null
  /** Completed by its promised deadline (null: not completed or no clock). */
  onTime: boolean | null
  returns: number
  /** Trips the resident made in person, recorded at delivery. */
  trips: number | null
  ratingComment: string | null
  ratedAt: string | null
  /** The township's answer to a bad rating (回访整改), when given. */
  followUp: string | null
  /** A bad rating's follow-up still waiting for the township's answer, with its due day (absent on rows written before). */
  followUpDue?: string | null
  followUpEstimated?: boolean
  /** The rating an administrator voided, with the reason (the rating no longer counts). */
  ratingVoided?: { rating: number; reason: string } | null
}

export interface BlobRow {
  hash: string
  caseId: CaseId
  materialId: string
  mime: string
  size: number
  /** The photo; sealed (Uint8Array from Sealer.seal) when `sealed` is 1. */
  data: Blob | Uint8Array
  thumb?: Blob | Uint8Array
  uploaded: 0 | 1
  /** Device-only: sharpness and brightness measured when the photo was taken (sync/photo-quality.ts). */
  quality?: { sharpness: number; luminance: number; blurry: boolean; dark: boolean }
  sealed?: 1
}

export interface ResidentRow {
  id: string
  name: string
  idNumber: string
  phone: string
  address: string
  village: string
  createdAt: string
  updatedAt: string
  /** Since v3: keyed tags (HMAC) of the ID number and phone, for exact look-up of sealed rows. */
  idTag?: string
  phoneTag?: string
  /** Sealed name, idNumber, phone and address, stored instead of them. */
  x?: Uint8Array
}

export interface ResidentPersonal extends Record<string, unknown> {
  name: string
  idNumber: string
  phone: string
  address: string
}
export const RESIDENT_PERSONAL: ResidentPersonal = { name: '', idNumber: '', phone: '', address: '' }

/** The personal tables and their in-memory fields (set at unlock by the device service). */
export interface PersonalFields {
  cases?: SealedFields<CasePersonal>
  residents?: SealedFields<ResidentPersonal>
  outbox?: SealedFields<{ command: Command | null }>
}

export interface KeyValueRow {
  key: string
  value: unknown
}

/** The first schema, kept verbatim: upgrade tests build a database with it. */
export const SCHEMA_V1 = {
  updates: '++i, caseId, sent, [caseId+sent]',
  outbox: 'id, n, caseId, state',
  cases: 'id, number, status, updatedAt, deadline, unsynced',
  blobs: 'hash, caseId, uploaded',
  residents: 'id, name, idNumber, phone, updatedAt',
  catalogue: '[code+version], code, department',
  kv: 'key',
} as const

export class DaibanDB extends Dexie {
  updates!: Table<UpdateRow, number>
  outbox!: Table<OutboxRow, string>
  cases!: Table<CaseRow, CaseId>
  blobs!: Table<BlobRow, string>
  residents!: Table<ResidentRow, string>
  catalogue!: Table<ServiceItem, [string, number]>
  kv!: Table<KeyValueRow, string>
  /** The account's data key while unlocked; null: rows are written in the clear (tests, upgrade). */
  sealer: Sealer | null = null
  personal: PersonalFields = {}
  /** Set once the account's key was dropped (lock, sign-out): nothing more may be written. */
  locked = false
  /** Writes per table since the database was opened (every write passes the middleware below). */
  writes: Record<string, number> = {}

  constructor(name: string, options?: DexieOptions) {
    super(name, options)
    this.version(1).stores(SCHEMA_V1)
    // v2: a resident's case history and full-text list search need the applicant on the row.
    this.version(2)
      .stores({ cases: 'id, number, status, updatedAt, deadline, unsynced, applicantKey' })
      .upgrade(async (tx) => {
        const updates = tx.table<UpdateRow, number>('updates')
        const cases = tx.table<CaseRow, CaseId>('cases')
        for (const row of await cases.toArray()) {
          const rows = await updates.where('caseId').equals(row.id).toArray()
          await cases.put({ ...row, ...applicantFields(rows.filter((r) => r.sent !== 2 && r.update).map((r) => r.update!), row.number) })
        }
      })
    // v3: residents sealed, found by keyed tags of their ID number and phone (see sealed-fields.ts).
    this.version(3).stores({ residents: 'id, name, idNumber, phone, updatedAt, idTag, phoneTag' })
    this.use({
      stack: 'dbcore',
      name: 'sealed-fields',
      create: (down) => ({
        ...down,
        table: (tableName) => {
          const table = down.table(tableName)
          return {
            ...table,
            mutate: (req) => {
              this.writes[tableName] = (this.writes[tableName] ?? 0) + 1
              if (this.locked && req.type !== 'delete' && req.type !== 'deleteRange') throw new Error('the store is locked')
              const fields = this.personal[tableName as keyof PersonalFields]
              if (!fields || (req.type !== 'add' && req.type !== 'put')) return table.mutate(req)
              return table.mutate({ ...req, values: req.values.map((v) => (fields as SealedFields<Record<string, unknown>>).hide(v)) })
            },
          }
        },
      }),
    })
    for (const name of ['cases', 'residents', 'outbox'] as const)
      this.table(name).hook('reading', (row: Record<string, unknown>) => (this.personal[name] as SealedFields<Record<string, unknown>> | undefined)?.reveal(row) ?? row)
  }
}

/** The device-only search fields of a case row, from the case's stored updates. */
export function applicantFields(updates: Uint8Array[], number: string): Pick<CaseRow, 'applicantKey' | 'searchText'> {
  const doc = new Y.Doc()
  if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates))
  const form = readForm(doc)
  doc.destroy()
  return searchFieldsOf(form, number)
}

export function searchFieldsOf(form: Record<string, unknown>, number: string): Pick<CaseRow, 'applicantKey' | 'searchText'> {
  const text = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '')
  const id = text('applicant_id').trim().toUpperCase()
  return { applicantKey: id, searchText: [number, text('applicant_name'), id, text('applicant_phone')].join(' ').toLowerCase() }
}

export function openDb(name: string, options?: DexieOptions): DaibanDB {
  return new DaibanDB(name, options)
}

export async function getValue<T>(db: DaibanDB, key: string): Promise<T | undefined> {
  return (await db.kv.get(key))?.value as T | undefined
}

/**
 * A single Dexie write resolves when the request succeeds, before IndexedDB commits; a page
 * closed at that moment loses it. Writes that must survive go through an explicit transaction,
 * whose promise resolves only after the commit.
 */
export async function setValue(db: DaibanDB, key: string, value: unknown): Promise<void> {
  await db.transaction('rw', db.kv, () => db.kv.put({ key, value }))
}
