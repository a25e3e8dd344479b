// The facts of a case the staff queues filter and sort on, kept on its list row so a queue of
// thousands of cases is filtered without rebuilding a single Yjs document.

import type * as Y from 'yjs'
import { countedRating, deliveryTrips, isFollowUpOpen, readNotes, readWorkflow } from '../core'
import type { QueueFacts } from './db'

const DECISIONS = new Set(['accept', 'return', 'refuse', 'forward', 'complete', 'deliver', 'withdraw', 'archive'])

interface ClaimLike {
  userId?: string
  name?: string
  until?: string
}

/** Structured notes of cases recorded before trips and follow-up answers were workflow fields. */
export const TRIPS_NOTE = /^trips-(\d{1,2})-/
export const FOLLOW_UP_NOTE = /^followup-/
export const REVEAL_NOTE = /^reveal-/

export function queueFacts(doc: Y.Doc, device: string): QueueFacts {
  const { state, events } = readWorkflow(doc)
  let submittedAt: string | null = null
  let decidedAt: string | null = null
  let returns = 0
  let ratedAt: string | null = null
  for (const e of events) {
    if (e.type === 'return') returns++
    if (e.type === 'rate') ratedAt = e.at
    if (e.type === 'submit') submittedAt = e.at
    if (DECISIONS.has(e.type)) decidedAt = e.at
  }
  const notes = readNotes(doc)
  const noteTrips = notes.map((n) => TRIPS_NOTE.exec(n.id)?.[1]).find((x) => x !== undefined)
  const trips = state ? (deliveryTrips(state) ?? (noteTrips === undefined ? null : Number(noteTrips))) : null
  const followUpNote = notes.find((n) => FOLLOW_UP_NOTE.test(n.id))
  const followUp = state?.followUp?.answer ?? followUpNote?.text ?? null
  const open = state?.followUp ? isFollowUpOpen(state) : false
  // Claims arrive with the commands work (state.claim); older states have none.
  const claim = (state as unknown as { claim?: ClaimLike | null } | null)?.claim
  return {
    department: state?.rules.department ?? '',
    level: state?.rules.level ?? 'township',
    kind: state?.rules.kind ?? 'promised',
    limitDays: state?.rules.limitDays ?? 0,
    submittedAt,
    decidedAt,
    deadlineEstimated: state?.clock?.estimated ?? false,
    paused: Boolean(state?.clock?.pausedOn),
    suspended: Boolean(state?.suspendedFor),
    submission: state?.submission ?? 0,
    holder: claim?.userId ? { userId: claim.userId, name: claim.name ?? claim.userId, until: claim.until ?? '' } : null,
    rating: state ? countedRating(state) : null,
    device,
    acceptedOn: state?.clock?.acceptedOn ?? null,
    completedOn: state?.decision?.on ?? null,
    onTime: state?.decision && state.clock ? state.decision.on <= state.clock.deadline : null,
    returns,
    trips,
    ratingComment: state?.rating?.comment ?? null,
    ratedAt,
    followUp,
    followUpDue: open ? state!.followUp!.due : null,
    followUpEstimated: open ? state!.followUp!.estimated : false,
    ratingVoided: state?.rating?.voided ? { rating: state.rating.rating, reason: state.rating.voided.reason } : null,
  }
}
