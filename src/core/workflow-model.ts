// The legal workflow of a case as data: its states, the commands that move it, and the reasons
// a command is refused. Data fields merge as CRDTs, but state changes are commands applied in
// one order by the server, because two contradicting decisions must never both "win".

import type { UserId, VillageCode } from './brand'
import type { CorrectionClockRule, HandlingLevel, ItemKind } from './catalogue'
import type { Clock } from './clock'
import type { Role } from './roles'

/** The withdrawal reason a discarded draft carries. */
export const DISCARDED_DRAFT = 'discarded_draft'

export const CaseStatuses = [
  'draft', // being filled in at the village
  'submitted', // taken in and forwarded to the township, awaiting acceptance
  'returned', // sent back for correction (补正)
  'accepted', // accepted by the township (受理), clock running
  'forwarded', // county-level item sent up to the county (上报)
  'completed', // decided (办结): approved or denied
  'delivered', // result handed to the resident (送达)
  'archived',
  'refused', // not accepted (不予受理), terminal
  'withdrawn', // withdrawn at the resident's request (撤回), terminal
] as const
export type CaseStatus = (typeof CaseStatuses)[number]

export const TerminalStatuses: readonly CaseStatus[] = ['archived', 'refused', 'withdrawn']

export const CommandTypes = [
  'submit',
  'withdraw',
  /** The agent throws away a draft never taken in (作废); recorded like every command. */
  'discard',
  'accept',
  'return',
  'refuse',
  'forward',
  'complete',
  'deliver',
  'rate',
  'archive',
  'suspend',
  'resume',
  'claim',
  'release',
  'answerFollowUp',
  'voidRating',
] as const
export type CommandType = (typeof CommandTypes)[number]

export const SpecialProcedures = ['hearing', 'public_notice', 'inspection', 'expert_review'] as const
export type SpecialProcedure = (typeof SpecialProcedures)[number]

export const DeliveryMethods = ['agent', 'post', 'e_certificate', 'window'] as const
export type DeliveryMethod = (typeof DeliveryMethods)[number]

/** 好差评: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 */
export type Rating = 1 | 2 | 3 | 4 | 5

/** Trips the resident made in person for one case, as recorded at delivery (跑动次数). */
export const MAX_TRIPS = 20
/** A rating at or below this (不满意, 非常不满意) opens a follow-up for the township. */
export const FOLLOW_UP_RATING = 2
/** Working days the township has to verify, rectify and answer a bad rating (default). */
export const DEFAULT_FOLLOW_UP_DAYS = 5

/** The township's follow-up of a bad rating: open until answered, or until the rating is voided. */
export interface FollowUp {
  opened: string
  due: string
  /** The due day rests on a year without official calendar data (预计). */
  estimated: boolean
  answer: string | null
  closedOn: string | null
  closedBy: 'answer' | 'void' | null
}

export interface CorrectionItem {
  /** 'form.<fieldId>' or 'materials.<materialId>' when it points at the case; absent for free text. */
  path?: string
  label: string
  reason: string
}

interface At {
  /** ISO 8601 instant the server stamped on the command. */
  at: string
}

export type Command =
  | ({ type: 'submit' } & At)
  | ({ type: 'withdraw'; reason: string } & At)
  | ({ type: 'discard' } & At)
  | ({ type: 'accept' } & At)
  | ({ type: 'return'; corrections: CorrectionItem[]; due?: string } & At)
  | ({ type: 'refuse'; reason: string; appeal: string } & At)
  | ({ type: 'forward' } & At)
  | ({ type: 'complete'; decision: 'approved' | 'denied'; reason?: string } & At)
  /** `trips` is absent in deliveries recorded before it was a field. */
  | ({ type: 'deliver'; method: DeliveryMethod; trips?: number } & At)
  | ({ type: 'rate'; rating: Rating; comment?: string } & At)
  | ({ type: 'archive' } & At)
  | ({ type: 'suspend'; procedure: SpecialProcedure } & At)
  | ({ type: 'resume' } & At)
  /** Takes the case for the sender (a lease); `takeOver` is required to take it from another live holder. */
  | ({ type: 'claim'; takeOver?: boolean } & At)
  | ({ type: 'release' } & At)
  /** The township's answer to a bad rating (verified, rectified, told to the resident). */
  | ({ type: 'answerFollowUp'; answer: string } & At)
  /** An administrator voids a mistaken or malicious rating, with the reason (国办发〔2019〕51号). */
  | ({ type: 'voidRating'; reason: string } & At)

export const RefusalCode = {
  invalidCommand: 'invalid_command',
  forbiddenRole: 'forbidden_role',
  outOfScope: 'out_of_scope',
  wrongDepartment: 'wrong_department',
  invalidState: 'invalid_state',
  notCountyLevel: 'not_county_level',
  mustForwardFirst: 'must_forward_first',
  suspended: 'suspended',
  notSuspended: 'not_suspended',
  alreadyRated: 'already_rated',
  /** voidRating or answerFollowUp on a case with no such rating or follow-up. */
  notRated: 'not_rated',
  noFollowUp: 'no_follow_up',
  /** A submission whose form or materials the item's rules reject (checked by the server too). */
  incompleteCase: 'incomplete_case',
  /** Another clerk holds a live claim on the case: claim with takeOver, or leave it. */
  claimedByOther: 'claimed_by_other',
  /** `release` from someone who does not hold the claim. */
  notClaimHolder: 'not_claim_holder',
} as const
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode]

/** The item's rules, frozen when the case is created: the rules at intake apply to the case. */
export interface CaseRules {
  level: HandlingLevel
  kind: ItemKind
  limitDays: number
  correctionClock: CorrectionClockRule
  department: string
}

export interface WorkflowState {
  status: CaseStatus
  village: VillageCode
  rules: CaseRules
  /** 1 after the first submission; each resubmission after a correction is a new submission. */
  submission: number
  /** Where a resubmitted case goes back to. */
  returnedFrom: 'submitted' | 'accepted' | 'forwarded' | null
  corrections: CorrectionItem[]
  correctionDue: string | null
  /** True once the case has been forwarded: from then on the county may see it. */
  reachedCounty: boolean
  clock: Clock | null
  suspendedFor: SpecialProcedure | null
  decision: { decision: 'approved' | 'denied'; reason: string | null; on: string } | null
  refusal: { reason: string; appeal: string; on: string } | null
  withdrawal: { reason: string; on: string } | null
  /** `trips` is null (or absent) for deliveries recorded before trips were a field. */
  delivery: { method: DeliveryMethod; on: string; trips?: number | null } | null
  /** `on` and `voided` are absent in ratings stored before voiding existed. */
  rating: { rating: Rating; comment: string | null; on?: string; voided?: { reason: string; on: string } | null } | null
  /** Opened by a rating of 不满意 or 非常不满意; absent in states stored before it existed. */
  followUp?: FollowUp | null
  /** The clerk working on the case (see claims.ts); absent in states stored before claims existed. */
  claim?: Claim | null
}

/** A clerk's lease on a case: live while `until` is in the future; renewed by the holder's commands. */
export interface Claim {
  userId: UserId
  /** The holder's display name, for queue lists. */
  name: string
  role: Role
  /** ISO instants (server clock). */
  since: string
  until: string
}

export function initialWorkflow(village: VillageCode, rules: CaseRules): WorkflowState {
  return {
    status: 'draft',
    village,
    rules,
    submission: 0,
    returnedFrom: null,
    corrections: [],
    correctionDue: null,
    reachedCounty: false,
    clock: null,
    suspendedFor: null,
    decision: null,
    refusal: null,
    withdrawal: null,
    delivery: null,
    rating: null,
    followUp: null,
    claim: null,
  }
}
