// Decides whether the sender of an update was allowed to make the changes it made (as reported by
// applyAndInspect). The whole update is accepted or rejected; the reason is data the device shows.

import type * as Y from 'yjs'
import { isBlobHash, type CaseId } from './brand'
import { META_KEYS, readMeta, root } from './case-doc'
import { parseCaseNumber } from './case-number'
import { MaterialStatuses } from './case-validation'
import { isPaperNoteId, paperRecordProblem } from './paper-record'
import { rootAccess } from './permissions'
import type { Actor } from './roles'
import { UpdateRejection } from './sync-protocol'
import type { Inspection } from './update-inspection'
import type { CaseStatus } from './workflow-model'

export type Judgement = { ok: true } | { ok: false; code: UpdateRejection; message: string }

const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/
const NOTE_KEY = /^[0-9A-Za-z_-]{8,64}$/
export const MAX_FIELD_LENGTH = 5000
export const MAX_NOTE_LENGTH = 2000
export const MAX_PHOTOS_PER_MATERIAL = 30

const reject = (code: UpdateRejection, message: string): Judgement => ({ ok: false, code, message })

function valueProblem(root: string, key: string, value: unknown, actor: Actor): Judgement | null {
  switch (root) {
    case 'form':
      if (!FIELD_KEY.test(key)) return reject(UpdateRejection.forbiddenKey, `form field id '${key}' is not valid`)
      if (value === null || typeof value === 'number') return null
      if (typeof value === 'string' && value.length <= MAX_FIELD_LENGTH) return null
      return reject(UpdateRejection.forbiddenKey, `form.${key} must be text of at most ${MAX_FIELD_LENGTH} characters, a number or empty`)
    case 'materials': {
      if (!FIELD_KEY.test(key)) return reject(UpdateRejection.forbiddenKey, `material id '${key}' is not valid`)
      const m = value as Record<string, unknown> | null
      const good =
        typeof m === 'object' && m !== null &&
        (MaterialStatuses as readonly unknown[]).includes(m.status) &&
        Number.isInteger(m.copies) && (m.copies as number) >= 0 && (m.copies as number) <= 99 &&
        Array.isArray(m.photos) && m.photos.length <= MAX_PHOTOS_PER_MATERIAL && m.photos.every(isBlobHash)
      return good ? null : reject(UpdateRejection.forbiddenKey, `materials.${key} must be {status, copies, photos[sha-256]}`)
    }
    case 'notes': {
      const n = value as Record<string, unknown> | null
      const good =
        NOTE_KEY.test(key) && typeof n === 'object' && n !== null && n.id === key && n.by === actor.userId && n.role === actor.role &&
        typeof n.at === 'string' && !Number.isNaN(Date.parse(n.at)) &&
        typeof n.text === 'string' && n.text.trim().length > 0 && n.text.length <= MAX_NOTE_LENGTH
      if (!good) return reject(UpdateRejection.invalidNote, `note ${key} must be {id, by: you, role, at, text ≤ ${MAX_NOTE_LENGTH}}`)
      const paper = isPaperNoteId(key) ? paperRecordProblem(key, n) : null
      return paper ? reject(UpdateRejection.invalidNote, paper) : null
    }
    default:
      return null
  }
}

function metaProblem(doc: Y.Doc, caseId: CaseId, actor: Actor): Judgement | null {
  const meta = readMeta(doc)
  const keys = Object.keys(root(doc, 'meta').toJSON())
  if (keys.some((k) => !(META_KEYS as readonly string[]).includes(k))) return reject(UpdateRejection.invalidMeta, 'meta has unknown keys')
  if (meta.id !== caseId) return reject(UpdateRejection.invalidMeta, 'meta.id does not match the case id')
  if (meta.village !== actor.scope) return reject(UpdateRejection.outOfScope, `a case of ${String(meta.village)} cannot be created by an agent of ${actor.scope}`)
  if (meta.createdBy !== actor.userId) return reject(UpdateRejection.invalidMeta, 'meta.createdBy must be the sender')
  const number = typeof meta.number === 'string' ? parseCaseNumber(meta.number) : null
  if (!number || number.villageCode !== meta.village) return reject(UpdateRejection.invalidMeta, 'meta.number is not a valid case number of this village')
  if (typeof meta.item !== 'string' || !Number.isInteger(meta.itemVersion)) return reject(UpdateRejection.invalidMeta, 'meta.item and meta.itemVersion are required')
  if (typeof meta.createdAt !== 'string' || Number.isNaN(Date.parse(meta.createdAt))) return reject(UpdateRejection.invalidMeta, 'meta.createdAt must be an ISO instant')
  if (typeof meta.device !== 'string' || !meta.device) return reject(UpdateRejection.invalidMeta, 'meta.device is required')
  return null
}

/**
 * `doc` is the document after the update was applied; `status` is the case's workflow status
 * before it (a new case is a draft).
 */
export function judgeUpdate(args: { inspection: Inspection; doc: Y.Doc; actor: Actor; status: CaseStatus; isNew: boolean; caseId: CaseId }): Judgement {
  const { inspection, doc, actor, status, isNew, caseId } = args
  if (inspection.foreign) return reject(UpdateRejection.forbiddenRoot, 'the update changes something outside the case roots')
  if (inspection.missingDependencies) return reject(UpdateRejection.missingDependencies, 'the update depends on changes the server does not have; pull and retry')
  for (const c of inspection.changes) {
    const access = rootAccess(actor.role, c.root, status)
    if (access === 'none') return reject(UpdateRejection.forbiddenRoot, `a ${actor.role} may not change ${c.root} while the case is ${status}`)
    if (access === 'create' && c.action !== 'add') return reject(UpdateRejection.forbiddenKey, `${c.root}.${c.key} may only be added, never changed or removed`)
    if (c.action !== 'delete') {
      const problem = valueProblem(c.root, c.key, root(doc, c.root).get(c.key), actor)
      if (problem) return problem
    }
  }
  if (isNew) return metaProblem(doc, caseId, actor) ?? { ok: true }
  if (inspection.changes.some((c) => c.root === 'meta')) return reject(UpdateRejection.forbiddenKey, 'meta is written once, when the case is created')
  return { ok: true }
}
