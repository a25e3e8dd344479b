// Factories for workflow tests: actors of the demo org and states reached by real commands.
import {
  apply,
  initialWorkflow,
  type Actor,
  type CaseRules,
  type Command,
  type DivisionCode,
  type UserId,
  type VillageCode,
  type WorkflowState,
} from '../../src/core'

export const VILLAGE = '340826106001' as VillageCode // 破凉社区, 华亭镇

export const actors = {
  agent: { userId: 'u-agent' as UserId, role: 'agent', scope: '340826106001' as DivisionCode },
  township: { userId: 'u-township' as UserId, role: 'township', scope: '340826106' as DivisionCode },
  county: { userId: 'u-county' as UserId, role: 'county', scope: '340826' as DivisionCode },
  admin: { userId: 'u-admin' as UserId, role: 'admin', scope: '340826' as DivisionCode },
  agent2: { userId: 'u-agent2' as UserId, role: 'agent', scope: '340826107291' as DivisionCode },
  township2: { userId: 'u-township2' as UserId, role: 'township', scope: '340826107' as DivisionCode },
  otherCounty: { userId: 'u-county-x' as UserId, role: 'county', scope: '340827' as DivisionCode },
  otherAdmin: { userId: 'u-admin-x' as UserId, role: 'admin', scope: '340827' as DivisionCode },
} satisfies Record<string, Actor>

export function rules(over: Partial<CaseRules> = {}): CaseRules {
  return { level: 'county', kind: 'promised', limitDays: 20, correctionClock: 'pause', department: 'civil_affairs', ...over }
}

/** A command of each type with a valid payload, stamped at the given instant (China time noon). */
export function sampleCommand(type: Command['type'], day = '2026-03-02'): Command {
  const at = `${day}T04:00:00.000Z`
  switch (type) {
    case 'submit':
    case 'discard':
    case 'accept':
    case 'forward':
    case 'archive':
    case 'resume':
    case 'claim':
    case 'release':
      return { type, at }
    case 'withdraw':
      return { type, at, reason: '申请人本人要求撤回' }
    case 'return':
      return { type, at, corrections: [{ path: 'materials.id_card', label: '居民身份证', reason: '复印件不清晰' }] }
    case 'refuse':
      return { type, at, reason: '不属于本事项受理范围', appeal: '可于60日内向宿松县人民政府申请行政复议' }
    case 'complete':
      return { type, at, decision: 'approved' }
    case 'deliver':
      return { type, at, method: 'agent' }
    case 'rate':
      return { type, at, rating: 5 }
    case 'suspend':
      return { type, at, procedure: 'public_notice' }
  }
}

/** Applies commands in order as the given actors; throws if any is refused. */
export function run(start: WorkflowState, steps: [Command['type'], Actor, string?][]): WorkflowState {
  let s = start
  for (const [type, actor, day] of steps) {
    const r = apply(s, sampleCommand(type, day), actor)
    if (!r.ok) throw new Error(`${type} by ${actor.role} refused: ${r.code} ${r.message}`)
    s = r.state
  }
  return s
}

export function draft(r: CaseRules = rules()): WorkflowState {
  return initialWorkflow(VILLAGE, r)
}

const { agent, township, county } = actors

/** One state per status (county-level item), each reached through real commands. */
export function statesByStatus(r: CaseRules = rules()): Record<string, WorkflowState> {
  const d = draft(r)
  const submitted = run(d, [['submit', agent]])
  const accepted = run(submitted, [['accept', township]])
  const forwarded = r.level === 'county' ? run(accepted, [['forward', township]]) : accepted
  const completed = run(forwarded, [['complete', r.level === 'county' ? county : township]])
  const delivered = run(completed, [['deliver', agent]])
  return {
    draft: d,
    submitted,
    returned: run(accepted, [['return', township]]),
    accepted,
    'accepted+suspended': run(accepted, [['suspend', township]]),
    ...(r.level === 'county' ? { forwarded, 'forwarded+suspended': run(forwarded, [['suspend', county]]) } : {}),
    completed,
    delivered,
    'delivered+rated': run(delivered, [['rate', agent]]),
    archived: run(delivered, [['archive', township]]),
    refused: run(submitted, [['refuse', township]]),
    withdrawn: run(submitted, [['withdraw', agent]]),
  }
}
