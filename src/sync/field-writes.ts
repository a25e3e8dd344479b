// What one typed value writes into a case: the value in its stored form (bank accounts as digits,
// landlines as 区号-号码) and every derived field recomputed from the new values. A derived field
// itself is never written from the keyboard: it follows its sources.

import { computeDerived, normalizeFieldValue, readForm, readMeta, type CaseId, type ServiceItem } from '../core'
import type * as Y from 'yjs'
import type { CaseStore } from '../store/case-store'
import type { DaibanDB } from '../store/db'

type Value = string | number | null

export function fieldWrites(item: ServiceItem | null, form: Record<string, unknown>, fieldId: string, value: Value, today?: string): Record<string, Value> {
  const field = item?.fields.find((f) => f.id === fieldId)
  if (!item || !field) return { [fieldId]: value }
  const writes: Record<string, Value> = {}
  if (!field.derive) writes[fieldId] = typeof value === 'string' ? normalizeFieldValue(field, value) : value
  const next = { ...form, ...writes }
  for (const [id, v] of Object.entries(computeDerived(item.fields, next, today))) if ((form[id] ?? '') !== v) writes[id] = v
  return writes
}

/** The catalogue item (at its version) a case was started with, if the device holds it. */
async function itemOf(db: DaibanDB, doc: Y.Doc): Promise<ServiceItem | null> {
  const meta = readMeta(doc)
  return meta.item ? ((await db.catalogue.get([meta.item, meta.itemVersion ?? 1])) ?? null) : null
}

/** Brings every derived field up to date (a case started before its item derived them, say). */
export async function refreshDerived(db: DaibanDB, store: CaseStore, caseId: CaseId): Promise<void> {
  const doc = await store.doc(caseId)
  const item = await itemOf(db, doc)
  if (!item) return
  const form = readForm(doc)
  const stale = Object.entries(computeDerived(item.fields, form)).filter(([id, v]) => (form[id] ?? '') !== v)
  if (stale.length) await store.setFields(caseId, Object.fromEntries(stale))
}

export async function writeField(db: DaibanDB, store: CaseStore, caseId: CaseId, fieldId: string, value: Value): Promise<void> {
  const doc = await store.doc(caseId)
  const writes = fieldWrites(await itemOf(db, doc), readForm(doc), fieldId, value)
  if (Object.keys(writes).length) await store.setFields(caseId, writes)
}
