// The shape of a case as a Yjs document: one document per case, five root maps, each with one
// owner (see permissions.ts). Values inside the roots are plain JSON, so a field or a material is
// replaced as a whole (last writer wins per key) while different keys merge.

import * as Y from 'yjs'
import type { CaseId, CaseNumber, ItemCode, UserId, VillageCode } from './brand'
import type { FormValues, MaterialState } from './case-validation'
import type { CaseRoot } from './permissions'
import type { Role } from './roles'
import type { WorkflowState } from './workflow-model'

export interface CaseMeta {
  id: CaseId
  number: CaseNumber
  item: ItemCode
  itemVersion: number
  village: VillageCode
  createdBy: UserId
  /** ISO instant on the creating device. */
  createdAt: string
  device: string
}

export interface CaseNote {
  id: string
  by: UserId
  role: Role
  at: string
  text: string
}

/** One entry of the decision history the server keeps in the document. */
export interface WorkflowEvent {
  /** Command id (idempotency key) */
  id: string
  type: string
  at: string
  by: UserId
  role: Role
  status: WorkflowState['status']
  detail?: Record<string, unknown>
}

export const META_KEYS = ['id', 'number', 'item', 'itemVersion', 'village', 'createdBy', 'createdAt', 'device'] as const

export function root(doc: Y.Doc, name: CaseRoot): Y.Map<unknown> {
  return doc.getMap(name)
}

export function readMeta(doc: Y.Doc): Partial<CaseMeta> {
  return root(doc, 'meta').toJSON() as Partial<CaseMeta>
}

export function readForm(doc: Y.Doc): FormValues {
  return root(doc, 'form').toJSON() as FormValues
}

export function readMaterials(doc: Y.Doc): Record<string, MaterialState> {
  return root(doc, 'materials').toJSON() as Record<string, MaterialState>
}

export function readNotes(doc: Y.Doc): CaseNote[] {
  return Object.values(root(doc, 'notes').toJSON() as Record<string, CaseNote>).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
}

export function readWorkflow(doc: Y.Doc): { state: WorkflowState | null; events: WorkflowEvent[] } {
  const wf = root(doc, 'workflow')
  const events = wf.get('events')
  // Appended to a Y.Array; cases written before that hold a plain array.
  const list = events instanceof Y.Array ? (events.toArray() as WorkflowEvent[]) : Array.isArray(events) ? (events as WorkflowEvent[]) : []
  return { state: (wf.get('state') as WorkflowState | undefined) ?? null, events: list }
}

/** Writes a new case's meta (the agent's device does this once, offline). */
export function initCaseDoc(doc: Y.Doc, meta: CaseMeta): void {
  doc.transact(() => {
    const m = root(doc, 'meta')
    for (const k of META_KEYS) m.set(k, meta[k])
  })
}

export function setFormValue(doc: Y.Doc, fieldId: string, value: string | number | null): void {
  root(doc, 'form').set(fieldId, value)
}

export function setMaterial(doc: Y.Doc, materialId: string, state: MaterialState): void {
  root(doc, 'materials').set(materialId, { status: state.status, copies: state.copies, photos: [...state.photos] })
}

export function addNote(doc: Y.Doc, note: CaseNote): void {
  root(doc, 'notes').set(note.id, note)
}

/**
 * Server only: the authoritative workflow state and its history. An event is appended to the
 * history (a Y.Array), so each command's update carries that one event, not the whole history.
 */
export function writeWorkflow(doc: Y.Doc, state: WorkflowState, event: WorkflowEvent | null): void {
  doc.transact(() => {
    const wf = root(doc, 'workflow')
    wf.set('state', state)
    if (!event) return
    let log = wf.get('events')
    if (!(log instanceof Y.Array)) {
      const legacy = Array.isArray(log) ? (log as WorkflowEvent[]) : []
      log = new Y.Array<WorkflowEvent>()
      ;(log as Y.Array<WorkflowEvent>).push(legacy)
      wf.set('events', log)
    }
    ;(log as Y.Array<WorkflowEvent>).push([event])
  })
}

/** Every photo hash the case refers to. */
export function referencedBlobs(doc: Y.Doc): string[] {
  const hashes = new Set<string>()
  for (const m of Object.values(readMaterials(doc))) for (const h of m?.photos ?? []) hashes.add(h)
  return [...hashes]
}
