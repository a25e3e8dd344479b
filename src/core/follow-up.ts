// 好差评 follow-up (国办发〔2019〕51号): a rating of 不满意 or 非常不满意 opens a follow-up for the
// township — verify, rectify and answer the resident — due a configurable number of working days
// after the rating (5 by default), counted on the core calendar. The follow-up closes when the
// township answers, or when an administrator voids the rating as mistaken or malicious; a voided
// rating stays on the case (shown struck through with its reason) but no figure counts it.

import { addWorkingDays } from './calendar'
import { DEFAULT_FOLLOW_UP_DAYS, FOLLOW_UP_RATING, type FollowUp, type Rating, type WorkflowState } from './workflow-model'

/** The follow-up a rating given on `day` opens, or null for a rating above 不满意. */
export function followUpFor(rating: Rating, day: string, workingDays: number = DEFAULT_FOLLOW_UP_DAYS): FollowUp | null {
  if (rating > FOLLOW_UP_RATING) return null
  const due = addWorkingDays(day, workingDays)
  return { opened: day, due: due.date, estimated: due.estimated, answer: null, closedOn: null, closedBy: null }
}

export function isFollowUpOpen(s: Pick<WorkflowState, 'followUp'>): boolean {
  return Boolean(s.followUp && s.followUp.closedOn === null)
}

/** The rating that counts in the figures: none when the case has none or it was voided. */
export function countedRating(s: Pick<WorkflowState, 'rating'>): Rating | null {
  return s.rating && !s.rating.voided ? s.rating.rating : null
}

/** Trips recorded at delivery, or null when the delivery predates the field. */
export function deliveryTrips(s: Pick<WorkflowState, 'delivery'>): number | null {
  const trips = s.delivery?.trips
  return typeof trips === 'number' && Number.isInteger(trips) ? trips : null
}
