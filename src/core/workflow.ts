// The workflow state machine: apply(state, command, actor) is pure and total. Every state ×
// command pair is decided by an exhaustive switch, so adding a state or a command does not
// compile until each combination has an answer. The server is the only place whose answer
// counts; clients run the same function to grey out actions that cannot succeed.

import { actingRole, blockingClaim, claimAfter, describeClaim, isFenced, leaseFor, type ClaimOptions } from './claims'
import { probeCommand } from './command-probe'
import { commandProblem } from './command-schema'
import { dayInChina } from './day'
import { followUpFor, isFollowUpOpen } from './follow-up'
import { pauseClock, resumeAfterCorrection, resumeClock, startClock } from './clock'
import { inScope, type Actor, type Role } from './roles'
import {
  CommandTypes,
  DISCARDED_DRAFT,
  RefusalCode,
  type CaseStatus,
  type Command,
  type WorkflowState,
} from './workflow-model'

/** Server settings a command may need: the claim lease and sender's name, the follow-up period. */
export interface ApplyOptions extends ClaimOptions {
  /** Working days a township has to answer a bad rating (default 5). */
  followUpDays?: number
}

export type ApplyResult = { ok: true; state: WorkflowState } | { ok: false; code: RefusalCode; message: string }

const refuse = (code: RefusalCode, message: string): ApplyResult => ({ ok: false, code, message })
const ok = (state: WorkflowState): ApplyResult => ({ ok: true, state })

/** Roles that may issue each command at all (state decides the rest). */
export const CommandRoles: Record<Command['type'], readonly Role[]> = {
  submit: ['agent'],
  withdraw: ['agent', 'township'],
  discard: ['agent'],
  accept: ['township'],
  return: ['township', 'county'],
  refuse: ['township'],
  forward: ['township'],
  complete: ['township', 'county'],
  deliver: ['agent', 'township'],
  rate: ['agent'],
  archive: ['township', 'admin'],
  suspend: ['township', 'county'],
  resume: ['township', 'county'],
  claim: ['township', 'county'],
  release: ['township', 'county'],
  answerFollowUp: ['township'],
  voidRating: ['admin'],
}

/** Which level acts on a case in a processing state: the township until it is forwarded. */
function deciderCheck(s: WorkflowState, role: Role, command: string): ApplyResult | null {
  const acting = actingRole(s.status)
  if (acting === null) return refuse(RefusalCode.invalidState, `cannot ${command} a case that is ${s.status}`)
  if (acting === role) return null
  return acting === 'township'
    ? refuse(RefusalCode.mustForwardFirst, `the county acts only on forwarded cases (${command})`)
    : refuse(RefusalCode.invalidState, `the case is at the county (${command})`)
}

function wrongState(s: WorkflowState, command: string): ApplyResult {
  return refuse(RefusalCode.invalidState, `cannot ${command} a case that is ${s.status}`)
}

function isUndecided(status: CaseStatus): boolean {
  switch (status) {
    case 'draft':
    case 'submitted':
    case 'returned':
    case 'accepted':
    case 'forwarded':
      return true
    case 'completed':
    case 'delivered':
    case 'archived':
    case 'refused':
    case 'withdrawn':
      return false
  }
}

/**
 * Applies a command. `opts` carries the server's claim lease and the sender's display name; the
 * resulting state records who holds the case (see claims.ts).
 */
export function apply(s: WorkflowState, c: Command, actor: Actor, opts: ApplyOptions = {}): ApplyResult {
  const problem = commandProblem(c)
  if (problem) return refuse(RefusalCode.invalidCommand, problem)
  if (!CommandRoles[c.type].includes(actor.role)) return refuse(RefusalCode.forbiddenRole, `a ${actor.role} may not ${c.type}`)
  if (!inScope(actor, s.village)) return refuse(RefusalCode.outOfScope, `case of village ${s.village} is outside ${actor.scope}`)
  if (actor.department && actor.role !== 'agent' && actor.department !== s.rules.department)
    return refuse(RefusalCode.wrongDepartment, `the item belongs to ${s.rules.department}`)
  const now = Date.parse(c.at)
  const holder = isFenced(c.type, actor, s.status) ? blockingClaim(s, actor, now) : null
  if (holder && !(c.type === 'claim' && c.takeOver)) return refuse(RefusalCode.claimedByOther, describeClaim(holder))
  const result = decide(s, c, actor, dayInChina(now), opts)
  if (!result.ok || c.type === 'claim' || c.type === 'release') return result
  return ok({ ...result.state, claim: claimAfter(result.state, s, actor, c.at, opts) })
}

function decide(s: WorkflowState, c: Command, actor: Actor, day: string, opts: ApplyOptions): ApplyResult {
  switch (c.type) {
    case 'submit':
      if (s.status === 'draft') return ok({ ...s, status: 'submitted', submission: 1 })
      if (s.status !== 'returned' || !s.returnedFrom) return wrongState(s, 'submit')
      return ok({
        ...s,
        status: s.returnedFrom,
        returnedFrom: null,
        submission: s.submission + 1,
        corrections: [],
        correctionDue: null,
        clock: s.clock ? resumeAfterCorrection(s.clock, day, s.rules.correctionClock, s.rules.limitDays) : null,
      })

    case 'withdraw':
      if (!isUndecided(s.status) || (actor.role === 'township' && s.status === 'draft')) return wrongState(s, 'withdraw')
      return ok({ ...s, status: 'withdrawn', withdrawal: { reason: c.reason, on: day } })

    case 'discard':
      // Only a draft never taken in: once submitted, a case is withdrawn (with a reason), not discarded.
      if (s.status !== 'draft' || s.submission !== 0) return wrongState(s, 'discard')
      return ok({ ...s, status: 'withdrawn', withdrawal: { reason: DISCARDED_DRAFT, on: day } })

    case 'accept':
      if (s.status !== 'submitted') return wrongState(s, 'accept')
      return ok({ ...s, status: 'accepted', clock: startClock(s.rules.kind, s.rules.limitDays, day) })

    case 'return': {
      const denied = deciderCheck(s, actor.role, 'return')
      if (denied) return denied
      if (s.suspendedFor) return refuse(RefusalCode.suspended, 'resume the special procedure first')
      const from = s.status as 'submitted' | 'accepted' | 'forwarded'
      return ok({
        ...s,
        status: 'returned',
        returnedFrom: from,
        corrections: c.corrections.map((x) => ({ ...(x.path ? { path: x.path } : {}), label: x.label, reason: x.reason })),
        correctionDue: c.due ?? null,
        clock: s.clock ? pauseClock(s.clock, day) : null,
      })
    }

    case 'refuse':
      if (s.status !== 'submitted') return wrongState(s, 'refuse')
      return ok({ ...s, status: 'refused', refusal: { reason: c.reason, appeal: c.appeal, on: day } })

    case 'forward':
      if (s.status !== 'accepted') return wrongState(s, 'forward')
      if (s.rules.level !== 'county') return refuse(RefusalCode.notCountyLevel, 'a township-level item is decided at the township')
      if (s.suspendedFor) return refuse(RefusalCode.suspended, 'resume the special procedure first')
      return ok({ ...s, status: 'forwarded', reachedCounty: true })

    case 'complete': {
      const denied = deciderCheck(s, actor.role, 'complete')
      if (denied) return denied
      if (s.status === 'submitted') return wrongState(s, 'complete')
      if (s.status === 'accepted' && s.rules.level === 'county')
        return refuse(RefusalCode.mustForwardFirst, 'a county-level item must be forwarded before it is decided')
      if (s.suspendedFor) return refuse(RefusalCode.suspended, 'resume the special procedure first')
      return ok({ ...s, status: 'completed', decision: { decision: c.decision, reason: c.reason ?? null, on: day } })
    }

    case 'deliver':
      if (s.status !== 'completed') return wrongState(s, 'deliver')
      return ok({ ...s, status: 'delivered', delivery: { method: c.method, on: day, trips: c.trips ?? null } })

    case 'rate':
      if (s.status !== 'delivered') return wrongState(s, 'rate')
      if (s.rating) return refuse(RefusalCode.alreadyRated, 'the resident has already rated this case')
      return ok({ ...s, rating: { rating: c.rating, comment: c.comment ?? null, on: day, voided: null }, followUp: followUpFor(c.rating, day, opts.followUpDays) })

    case 'answerFollowUp': {
      if (!s.followUp || !isFollowUpOpen(s)) return refuse(RefusalCode.noFollowUp, 'the case has no open follow-up')
      return ok({ ...s, followUp: { ...s.followUp, answer: c.answer, closedOn: day, closedBy: 'answer' } })
    }

    case 'voidRating': {
      if (!s.rating) return refuse(RefusalCode.notRated, 'the case has no rating')
      if (s.rating.voided) return refuse(RefusalCode.notRated, 'the rating is already void')
      const followUp = s.followUp && isFollowUpOpen(s) ? { ...s.followUp, closedOn: day, closedBy: 'void' as const } : (s.followUp ?? null)
      return ok({ ...s, rating: { ...s.rating, voided: { reason: c.reason, on: day } }, followUp })
    }

    case 'archive':
      if (s.status !== 'delivered') return wrongState(s, 'archive')
      return ok({ ...s, status: 'archived' })

    case 'suspend': {
      const denied = deciderCheck(s, actor.role, 'suspend')
      if (denied) return denied
      if (s.status === 'submitted' || !s.clock) return wrongState(s, 'suspend')
      if (s.suspendedFor) return refuse(RefusalCode.suspended, 'a special procedure is already running')
      return ok({ ...s, suspendedFor: c.procedure, clock: pauseClock(s.clock, day) })
    }

    case 'resume': {
      const denied = deciderCheck(s, actor.role, 'resume')
      if (denied) return denied
      if (!s.suspendedFor || !s.clock) return refuse(RefusalCode.notSuspended, 'no special procedure is running')
      return ok({ ...s, suspendedFor: null, clock: resumeClock(s.clock, day) })
    }

    case 'claim': {
      const denied = deciderCheck(s, actor.role, 'claim')
      if (denied) return denied
      return ok({ ...s, claim: leaseFor(s, actor, c.at, opts) })
    }

    case 'release':
      if (s.claim?.userId !== actor.userId) return refuse(RefusalCode.notClaimHolder, 'only the clerk holding the case may release it')
      return ok({ ...s, claim: null })

    default: {
      const unreachable: never = c
      return refuse(RefusalCode.invalidCommand, `unknown command ${JSON.stringify(unreachable)}`)
    }
  }
}

/** The commands an actor could issue now (at `at`, the current time by default): the UI shows exactly these. */
export function availableCommands(s: WorkflowState, actor: Actor, at: string = new Date().toISOString()): Command['type'][] {
  return CommandTypes.filter((t) => apply(s, probeCommand(t, at), actor).ok)
}
