// Where each role's queue looks. Agents: their village (drafts included). Township staff: their
// township, a department clerk only that department. County staff: cases that reached the county,
// and, for supervision (督办), every overdue or nearly overdue open case in the county.
// Administrators: their county, every department.

import { canRead, DaibanError, ErrorCode, isWithin, type Actor } from '../../src/core'
import type { CaseRecord, QueueScope } from '../storage'

export type QueueView = 'queue' | 'supervision'

export function queueScopeOf(actor: Actor, view: QueueView = 'queue'): QueueScope {
  const department = actor.department ?? null
  if (view === 'supervision') {
    if (actor.role !== 'county' && actor.role !== 'admin') throw new DaibanError(ErrorCode.forbidden, 'view: supervision is for county staff and administrators')
    return { column: 'county', code: actor.scope, department, reachedCounty: false, includeDrafts: false }
  }
  switch (actor.role) {
    case 'agent':
      return { column: 'village', code: actor.scope, department: null, reachedCounty: false, includeDrafts: true }
    case 'township':
      return { column: 'township', code: actor.scope, department, reachedCounty: false, includeDrafts: false }
    case 'county':
      return { column: 'county', code: actor.scope, department, reachedCounty: true, includeDrafts: false }
    case 'admin':
      return { column: 'county', code: actor.scope, department: null, reachedCounty: false, includeDrafts: false }
  }
}

/**
 * Whether an actor may open one case: the sync rules (scope and audience), the clerk's department,
 * and the county's supervision of open cases that are overdue or due by `dueSoonUntil`.
 */
export function mayOpenCase(actor: Actor, rec: CaseRecord, dueSoonUntil: string): boolean {
  if (actor.department && actor.role !== 'agent' && actor.department !== rec.department) return false
  if (canRead(actor, rec.state)) return true
  const supervising = (actor.role === 'county' || actor.role === 'admin') && isWithin(rec.village, actor.scope)
  return supervising && Boolean(rec.routing?.open) && rec.status !== 'draft' && (rec.routing?.due ?? '9999-12-31') <= dueSoonUntil
}
