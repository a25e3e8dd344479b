// Who may write which root of a case document, in which state. The server enforces this table
// on every Yjs update (it applies the update to a scratch copy and looks at what changed); the
// UI follows it to decide which inputs are editable. `workflow` is written by the server alone.

import { isWithin } from './org'
import type { Actor, Role } from './roles'
import type { CaseStatus, WorkflowState } from './workflow-model'

export const CaseRoots = ['meta', 'form', 'materials', 'notes', 'workflow'] as const
export type CaseRoot = (typeof CaseRoots)[number]

/**
 * none: no change at all · create: may add keys that do not exist yet, never change or delete one
 * (notes are a map keyed by note id, so "append-only" is "create-only") · write: any change
 */
export type Access = 'none' | 'create' | 'write'

const EDITABLE_BY_AGENT: readonly CaseStatus[] = ['draft', 'returned']

export function rootAccess(role: Role, root: CaseRoot, status: CaseStatus): Access {
  switch (root) {
    case 'meta':
      return role === 'agent' && status === 'draft' ? 'create' : 'none'
    case 'form':
    case 'materials':
      return role === 'agent' && EDITABLE_BY_AGENT.includes(status) ? 'write' : 'none'
    case 'notes':
      return 'create'
    case 'workflow':
      return 'none'
  }
}

/** Who may read a case's data, as bit flags stored with every log entry the server keeps. */
export const Audience = { village: 1, township: 2, county: 4 } as const

export const ReadBitOfRole: Record<Role, number | null> = {
  agent: Audience.village,
  township: Audience.township,
  county: Audience.county,
  admin: null, // an administrator reads everything in the county
}

/** The village sees its cases from the start, the township once submitted, the county once forwarded. */
export function audienceOf(wf: Pick<WorkflowState, 'submission' | 'reachedCounty'>): number {
  if (wf.reachedCounty) return Audience.village | Audience.township | Audience.county
  if (wf.submission > 0) return Audience.village | Audience.township
  return Audience.village
}

/** Whether an actor may see a case at all (scope and audience together). */
export function canRead(actor: Actor, wf: Pick<WorkflowState, 'village' | 'submission' | 'reachedCounty'>): boolean {
  if (!isWithin(wf.village, actor.scope)) return false
  const bit = ReadBitOfRole[actor.role]
  return bit === null || (audienceOf(wf) & bit) !== 0
}
