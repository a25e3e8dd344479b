// Who may write which root of a case document, in which state. The server enforces this table
// on every Yjs update (it applies the update to a scratch copy and looks at what changed); the
// UI follows it to decide which inputs are editable. `workflow` is written by the server alone.

import { isWithin } from './org'
import type { Actor, Role } from './roles'
import type { CaseStatus, WorkflowState } from './workflow-model'

export const CaseRoots = ['meta', 'form', 'materials', 'notes', 'workflow'] as const
export type CaseRoot = (typeof CaseRoots)[number]

/**
 * none: no change at all · create: may add keys that do not exist yet, never change one ·
 * append: may add entries to the end of a list, never change or delete one · write: any change
 */
export type Access = 'none' | 'create' | 'append' | 'write'

const EDITABLE_BY_AGENT: readonly CaseStatus[] = ['draft', 'returned']

export function rootAccess(role: Role, root: CaseRoot, status: CaseStatus): Access {
  switch (root) {
    case 'meta':
      return role === 'agent' && status === 'draft' ? 'create' : 'none'
    case 'form':
    case 'materials':
      return role === 'agent' && EDITABLE_BY_AGENT.includes(status) ? 'write' : 'none'
    case 'notes':
      return 'append'
    case 'workflow':
      return 'none'
  }
}

/** Who may see a case at all: the agent's village, the township's villages once the case has
 * left the village, the county once it has been forwarded; an administrator sees the county. */
export function canRead(actor: Actor, wf: Pick<WorkflowState, 'village' | 'status' | 'reachedCounty'>): boolean {
  if (!isWithin(wf.village, actor.scope)) return false
  switch (actor.role) {
    case 'agent':
    case 'admin':
      return true
    case 'township':
      return wf.status !== 'draft'
    case 'county':
      return wf.reachedCounty
  }
}
