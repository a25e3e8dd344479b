// The queue columns of a case, derived from its workflow state whenever a push writes the case
// record, so they commit in the same transaction as the log. The previous record's columns carry
// the facts the state does not keep (when and from which device the case was first received).

import { caseDue, countedRating, dayInChina, deliveryTrips, workingDaysBetween, type CaseStatus, type WorkflowState } from '../../src/core'
import type { CaseRecord, CaseRouting } from '../storage'
import { basicRouting } from '../storage/kysely-sync'

const OPEN: readonly CaseStatus[] = ['submitted', 'returned', 'accepted', 'forwarded']

/** The clerk holding the case, from the state's claim (claims.ts) when the state has one. */
function holderOf(state: WorkflowState): { userId: string; name: string; until: number } | null {
  const claim = (state as { claim?: { userId?: unknown; name?: unknown; until?: unknown } | null }).claim
  if (!claim || typeof claim.userId !== 'string' || typeof claim.until !== 'string') return null
  const until = Date.parse(claim.until)
  return Number.isFinite(until) ? { userId: claim.userId, name: typeof claim.name === 'string' ? claim.name : claim.userId, until } : null
}

function closedOn(s: WorkflowState): string | null {
  return s.decision?.on ?? s.refusal?.on ?? s.withdrawal?.on ?? null
}

/** Routing columns of `rec` as it stands at `rec.updatedAt`. */
export function routingOf(rec: CaseRecord): CaseRouting {
  const s = rec.state
  const prev = rec.routing ?? basicRouting(rec)
  const received = s.status !== 'draft' && prev.receivedAt === null
  const receivedAt = received ? rec.updatedAt : prev.receivedAt
  const submittedOn = prev.submittedOn ?? (s.status !== 'draft' ? dayInChina(rec.updatedAt) : null)
  const due = caseDue(s, submittedOn)
  const acceptedOn = s.clock?.acceptedOn ?? null
  const completedOn = s.decision?.on ?? null
  const holder = holderOf(s)
  return {
    open: OPEN.includes(s.status),
    due: due.due,
    dueKind: due.kind,
    dueEstimated: due.estimated,
    fromReceipt: due.fromReceipt || (completedOn !== null && prev.fromReceipt),
    paused: due.paused,
    assignee: holder?.userId ?? null,
    assigneeName: holder?.name ?? null,
    assigneeUntil: holder?.until ?? null,
    receivedAt,
    receivedBy: received ? (rec.summary.createdBy ?? null) : prev.receivedBy,
    receivedDevice: received ? (rec.summary.device ?? null) : prev.receivedDevice,
    submittedOn,
    acceptedOn,
    completedOn,
    closedOn: closedOn(s),
    kind: s.rules.kind,
    returned: prev.returned || s.status === 'returned' || s.submission > 1,
    onTime: prev.onTime ?? (completedOn && s.clock ? completedOn <= effectiveDeadline(prev, s) : null),
    workDays: completedOn && acceptedOn ? Math.max(0, workingDaysBetween(acceptedOn, completedOn)) : null,
    trips: deliveryTrips(s),
    // A voided rating (voidRating) counts in no figure.
    rating: countedRating(s),
    nameKey: rec.summary.nameKey ?? prev.nameKey,
  }
}

/** The deadline that counted while the case was open: the due day stored before it was decided. */
function effectiveDeadline(prev: CaseRouting, s: WorkflowState): string {
  return prev.dueKind === 'decision' ? prev.due : (s.clock?.deadline ?? prev.due)
}

export function routeCase(rec: CaseRecord): CaseRecord {
  return { ...rec, routing: routingOf(rec) }
}
