// The workflow state machine: apply(state, command, actor) is pure and total. Every state ×
// command pair is decided by an exhaustive switch, so adding a state or a command does not
// compile until each combination has an answer. The server is the only place whose answer
// counts; clients run the same function to grey out actions that cannot succeed.

import { dayInChina, isValidDay } from './day'
import { pauseClock, resumeAfterCorrection, resumeClock, startClock } from './clock'
import { inScope, type Actor, type Role } from './roles'
import {
  CommandTypes,
  DeliveryMethods,
  RefusalCode,
  SpecialProcedures,
  type CaseStatus,
  type Command,
  type WorkflowState,
} from './workflow-model'

export type ApplyResult = { ok: true; state: WorkflowState } | { ok: false; code: RefusalCode; message: string }

const refuse = (code: RefusalCode, message: string): ApplyResult => ({ ok: false, code, message })
const ok = (state: WorkflowState): ApplyResult => ({ ok: true, state })

/** Roles that may issue each command at all (state decides the rest). */
export const CommandRoles: Record<Command['type'], readonly Role[]> = {
  submit: ['agent'],
  withdraw: ['agent', 'township'],
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
}

const nonEmpty = (s: unknown): s is string => typeof s === 'string' && s.trim().length > 0 && s.length <= 2000
/** An optional text: absent, or text of at most 2000 characters. */
const optionalText = (s: unknown) => s === undefined || (typeof s === 'string' && s.length <= 2000)
const CASE_PATH = /^(form|materials)\.[a-z][a-z0-9_]{0,39}$/
const oneOf = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v)

/** Checks a command's payload (commands arrive over the network). Returns a reason or null. */
export function commandProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null) return 'command must be an object'
  const cmd = c as Record<string, unknown>
  if (!oneOf(CommandTypes, cmd.type)) return `unknown command type ${String(cmd.type)}`
  if (typeof cmd.at !== 'string' || Number.isNaN(Date.parse(cmd.at))) return 'at must be an ISO timestamp'
  switch (cmd.type as Command['type']) {
    case 'withdraw':
      return nonEmpty(cmd.reason) ? null : 'a withdrawal needs a reason'
    case 'return': {
      const list = cmd.corrections
      if (!Array.isArray(list) || list.length === 0) return 'a return must list every item to correct (at least one)'
      if (list.length > 200) return 'too many correction items'
      for (const item of list)
        if (typeof item !== 'object' || item === null || !nonEmpty(item.label) || !nonEmpty(item.reason))
          return 'each correction item needs a label and a reason'
        else if (item.path !== undefined && (typeof item.path !== 'string' || !CASE_PATH.test(item.path)))
          return "a correction's path must be form.<field> or materials.<material>"
      if (cmd.due !== undefined && (typeof cmd.due !== 'string' || !isValidDay(cmd.due))) return 'due must be a day YYYY-MM-DD'
      return null
    }
    case 'refuse':
      return nonEmpty(cmd.reason) && nonEmpty(cmd.appeal) ? null : 'a refusal needs a reason and an appeal route'
    case 'complete':
      if (cmd.decision !== 'approved' && cmd.decision !== 'denied') return 'decision must be approved or denied'
      if (cmd.decision === 'denied' && !nonEmpty(cmd.reason)) return 'a denial needs a reason'
      return optionalText(cmd.reason) ? null : 'the reason must be text of at most 2000 characters'
    case 'deliver':
      return oneOf(DeliveryMethods, cmd.method) ? null : `method must be one of ${DeliveryMethods.join(', ')}`
    case 'rate':
      if (!Number.isInteger(cmd.rating) || (cmd.rating as number) < 1 || (cmd.rating as number) > 5) return 'rating must be 1–5'
      return optionalText(cmd.comment) ? null : 'the comment must be text of at most 2000 characters'
    case 'suspend':
      return oneOf(SpecialProcedures, cmd.procedure) ? null : `procedure must be one of ${SpecialProcedures.join(', ')}`
    case 'submit':
    case 'accept':
    case 'forward':
    case 'archive':
    case 'resume':
      return null
  }
}

/** Which level acts on a case in a processing state: the township until it is forwarded. */
function deciderCheck(s: WorkflowState, role: Role, command: string): ApplyResult | null {
  switch (s.status) {
    case 'submitted':
    case 'accepted':
      return role === 'township' ? null : refuse(RefusalCode.mustForwardFirst, `the county acts only on forwarded cases (${command})`)
    case 'forwarded':
      return role === 'county' ? null : refuse(RefusalCode.invalidState, `the case is at the county (${command})`)
    case 'draft':
    case 'returned':
    case 'completed':
    case 'delivered':
    case 'archived':
    case 'refused':
    case 'withdrawn':
      return refuse(RefusalCode.invalidState, `cannot ${command} a case that is ${s.status}`)
  }
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

export function apply(s: WorkflowState, c: Command, actor: Actor): ApplyResult {
  const problem = commandProblem(c)
  if (problem) return refuse(RefusalCode.invalidCommand, problem)
  if (!CommandRoles[c.type].includes(actor.role)) return refuse(RefusalCode.forbiddenRole, `a ${actor.role} may not ${c.type}`)
  if (!inScope(actor, s.village)) return refuse(RefusalCode.outOfScope, `case of village ${s.village} is outside ${actor.scope}`)
  if (actor.department && actor.role !== 'agent' && actor.department !== s.rules.department)
    return refuse(RefusalCode.wrongDepartment, `the item belongs to ${s.rules.department}`)
  const day = dayInChina(Date.parse(c.at))

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
      return ok({ ...s, status: 'delivered', delivery: { method: c.method, on: day } })

    case 'rate':
      if (s.status !== 'delivered') return wrongState(s, 'rate')
      if (s.rating) return refuse(RefusalCode.alreadyRated, 'the resident has already rated this case')
      return ok({ ...s, rating: { rating: c.rating, comment: c.comment ?? null } })

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

    default: {
      const unreachable: never = c
      return refuse(RefusalCode.invalidCommand, `unknown command ${JSON.stringify(unreachable)}`)
    }
  }
}

/** The commands an actor could issue now: the UI shows exactly these. */
export function availableCommands(s: WorkflowState, actor: Actor, probe: (type: Command['type']) => Command): Command['type'][] {
  return CommandTypes.filter((t) => apply(s, probe(t), actor).ok)
}
