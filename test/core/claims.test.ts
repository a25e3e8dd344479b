import { describe, expect, it } from 'vitest'
import { apply, claimHolder, DEFAULT_CLAIM_LEASE_MS, type Actor, type Command, type DivisionCode, type UserId, type WorkflowState } from '../../src/core'
import { actors, run, statesByStatus } from '../helpers/workflow'

const clerkB: Actor = { userId: 'u-township-b' as UserId, role: 'township', scope: '340826106' as DivisionCode }
const T0 = Date.parse('2026-03-02T04:00:00.000Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
const cmd = (type: Command['type'], minutes: number, extra: Record<string, unknown> = {}) => ({ type, at: at(minutes), ...extra }) as Command

function ok(s: WorkflowState, c: Command, who: Actor, opts = {}): WorkflowState {
  const r = apply(s, c, who, opts)
  if (!r.ok) throw new Error(`${c.type}: ${r.code} ${r.message}`)
  return r.state
}

describe('claims', () => {
  const submitted = statesByStatus().submitted!
  const A = actors.township

  it('records the holder, name and lease expiry, and reports no holder once the lease lapses', () => {
    const s = ok(submitted, cmd('claim', 0), A, { name: '王窗口', leaseMs: 10 * 60_000 })
    expect(s.claim).toEqual({ userId: A.userId, name: '王窗口', role: 'township', since: at(0), until: at(10) })
    expect(claimHolder(s, T0 + 9 * 60_000)?.userId).toBe(A.userId)
    expect(claimHolder(s, T0 + 10 * 60_000)).toBeNull()
  })

  it("renews the holder's lease with each of the holder's commands and keeps the start", () => {
    let s = ok(submitted, cmd('claim', 0), A)
    s = ok(s, cmd('claim', 20), A)
    expect(s.claim).toMatchObject({ since: at(0), until: new Date(T0 + 20 * 60_000 + DEFAULT_CLAIM_LEASE_MS).toISOString() })
    s = ok(s, cmd('accept', 45), A)
    expect(s.claim).toMatchObject({ userId: A.userId, since: at(0), until: new Date(T0 + 45 * 60_000 + DEFAULT_CLAIM_LEASE_MS).toISOString() })
  })

  it("refuses another clerk's claim and decisions while the lease is live, with the holder named", () => {
    const s = ok(submitted, cmd('claim', 0), A, { name: '王窗口' })
    for (const c of [cmd('claim', 5), cmd('accept', 5), cmd('refuse', 5, { reason: '不属于受理范围', appeal: '行政复议' }), cmd('withdraw', 5, { reason: '撤回' })]) {
      const r = apply(s, c, clerkB)
      expect(r).toMatchObject({ ok: false, code: 'claimed_by_other', message: expect.stringContaining('王窗口') })
    }
  })

  it('lets another clerk take the case over only explicitly, after which the old holder is refused', () => {
    const s = ok(submitted, cmd('claim', 0), A)
    const taken = ok(s, cmd('claim', 5, { takeOver: true }), clerkB, { name: '李窗口' })
    expect(taken.claim).toMatchObject({ userId: clerkB.userId, name: '李窗口', since: at(5) })
    expect(apply(taken, cmd('accept', 6), A)).toMatchObject({ ok: false, code: 'claimed_by_other' })
    expect(ok(taken, cmd('accept', 6), clerkB).status).toBe('accepted')
  })

  it('lets anyone act once the lease lapsed, and a stale holder is fenced after a new clerk took it', () => {
    const s = ok(submitted, cmd('claim', 0), A)
    const later = ok(s, cmd('claim', 31), clerkB)
    expect(later.claim?.userId).toBe(clerkB.userId)
    expect(apply(later, cmd('accept', 32), A)).toMatchObject({ ok: false, code: 'claimed_by_other' })
  })

  it('claims implicitly when a clerk decides a case nobody holds, and clears the claim when the case leaves the office', () => {
    const accepted = ok(submitted, cmd('accept', 0), A)
    expect(accepted.claim).toMatchObject({ userId: A.userId })
    const forwarded = ok(accepted, cmd('forward', 1), A)
    expect(forwarded.claim).toBeNull()
    const returned = ok(accepted, cmd('return', 1, { corrections: [{ label: '身份证', reason: '不清晰' }] }), A)
    expect(returned.claim).toBeNull()
  })

  it('lets only the holder release, and a released case is free for anyone', () => {
    const s = ok(submitted, cmd('claim', 0), A)
    expect(apply(s, cmd('release', 1), clerkB)).toMatchObject({ ok: false, code: 'not_claim_holder' })
    const free = ok(s, cmd('release', 1), A)
    expect(free.claim).toBeNull()
    expect(ok(free, cmd('accept', 2), clerkB).claim?.userId).toBe(clerkB.userId)
  })

  it('does not fence the village agent or another office', () => {
    const s = ok(submitted, cmd('claim', 0), A)
    expect(ok(s, cmd('withdraw', 1, { reason: '申请人本人要求撤回' }), actors.agent).status).toBe('withdrawn')
    expect(apply(s, cmd('claim', 1), actors.county)).toMatchObject({ ok: false, code: 'must_forward_first' })
  })

  it('reads states stored before claims existed as unclaimed', () => {
    const { claim: _c, ...legacy } = run(submitted, [])
    expect(claimHolder(legacy as WorkflowState, T0)).toBeNull()
    expect(ok(legacy as WorkflowState, cmd('accept', 0), A).claim?.userId).toBe(A.userId)
  })
})
