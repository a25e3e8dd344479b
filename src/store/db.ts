// The device's IndexedDB database (Dexie). One table of Yjs updates for all cases, an outbox of
// workflow commands, case summaries for lists, photos, residents, the catalogue and sync state.
// Versions only ever add: an older database opens and keeps its data (see test/store/upgrade).

import Dexie, { type DexieOptions, type Table } from 'dexie'
import * as Y from 'yjs'
import { readForm, type CaseId, type CaseStatus, type Command, type ServiceItem } from '../core'

/** A Yjs update of one case. sent: 0 = local, not yet acknowledged; 1 = on the server (acknowledged or pulled); 2 = rejected by the server. */
export interface UpdateRow {
  i?: number
  caseId: CaseId
  update: Uint8Array
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
}

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
  data: Blob | Uint8Array
  thumb?: Blob | Uint8Array
  uploaded: 0 | 1
  /** Device-only: sharpness and brightness measured when the photo was taken (sync/photo-quality.ts). */
  quality?: { sharpness: number; luminance: number; blurry: boolean; dark: boolean }
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
          await cases.put({ ...row, ...applicantFields(rows.filter((r) => r.sent !== 2).map((r) => r.update), row.number) })
        }
      })
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
