import { describe, expect, it } from 'vitest'
import { commandDetail, commandProblem, CommandTypes, jsonDepth, probeCommand, type Command } from '../../src/core'
import { sampleCommand } from '../helpers/workflow'

function deep(n: number): unknown {
  let v: unknown = []
  for (let i = 0; i < n; i++) v = [v]
  return v
}

describe('command-schema', () => {
  it('accepts the sample command of every type', () => {
    for (const t of CommandTypes) expect({ t, p: commandProblem(sampleCommand(t)) }).toEqual({ t, p: null })
  })

  it('accepts the probe command of every type, the one the UI asks the state machine with', () => {
    for (const t of CommandTypes) expect({ t, p: commandProblem(probeCommand(t, '2026-03-02T04:00:00.000Z')) }).toEqual({ t, p: null })
  })

  it('refuses an unknown field on every type by name, without walking its value', () => {
    for (const t of CommandTypes) {
      expect(commandProblem({ ...sampleCommand(t), extra: deep(5000) })).toContain("'extra'")
      expect(commandProblem({ ...sampleCommand(t), junk: 'x'.repeat(3_000_000) })).toContain("'junk'")
    }
  })

  it('bounds every text and list, and refuses nesting where the command has none', () => {
    const at = '2026-03-02T04:00:00.000Z'
    expect(commandProblem({ type: 'withdraw', at, reason: '长'.repeat(2001) })).toContain('withdraw.reason')
    expect(commandProblem({ type: 'withdraw', at, reason: deep(10) })).toContain('withdraw.reason')
    expect(commandProblem({ type: 'return', at, corrections: Array.from({ length: 101 }, () => ({ label: 'a', reason: 'b' })) })).toContain('return.corrections')
    expect(commandProblem({ type: 'return', at, corrections: [{ label: 'a'.repeat(201), reason: 'b' }] })).toContain('corrections[0].label')
    expect(commandProblem({ type: 'return', at, corrections: [{ label: 'a', reason: 'b', note: {} }] })).toContain("'note'")
    expect(commandProblem({ type: 'rate', at, rating: 5, comment: 'x'.repeat(2001) })).toContain('rate.comment')
    expect(commandProblem({ type: 'claim', at, takeOver: 'yes' })).toContain('claim.takeOver')
    expect(commandProblem({ type: 'accept', at: 'x'.repeat(100) })).toContain('accept.at')
    expect(commandProblem({ type: 'complete', at, decision: 'denied' })).toContain('denial')
    expect(commandProblem({ type: 'complete', at, decision: 'denied', reason: '  ' })).toContain('denial')
    expect(commandProblem([])).toBe('command must be an object')
    expect(commandProblem({ type: deep(5000), at })).toMatch(/^unknown command type/)
  })

  it('bounds a delivery\'s trips to a whole number 0–20 and its method to the fixed list, and still takes a delivery without trips', () => {
    const at = '2026-03-02T04:00:00.000Z'
    for (const trips of [0, 20]) expect(commandProblem({ type: 'deliver', at, method: 'post', trips })).toBeNull()
    for (const trips of [-1, 21, 1.5, '1', null]) expect(commandProblem({ type: 'deliver', at, method: 'post', trips })).toContain('deliver.trips')
    expect(commandProblem({ type: 'deliver', at, method: 'drone', trips: 0 })).toContain('deliver.method')
    expect(commandProblem({ type: 'deliver', at, method: 'agent' })).toBeNull()
    expect(commandDetail({ type: 'deliver', at, method: 'window', trips: 2 })).toEqual({ method: 'window', trips: 2 })
  })

  it('requires a bounded reason to void a rating and a bounded answer to a follow-up', () => {
    const at = '2026-03-02T04:00:00.000Z'
    expect(commandProblem({ type: 'voidRating', at })).toContain('voidRating.reason')
    expect(commandProblem({ type: 'voidRating', at, reason: '  ' })).toContain('voidRating.reason')
    expect(commandProblem({ type: 'voidRating', at, reason: '长'.repeat(501) })).toContain('voidRating.reason')
    expect(commandProblem({ type: 'answerFollowUp', at, answer: '' })).toContain('answerFollowUp.answer')
    expect(commandDetail({ type: 'voidRating', at, reason: '误评' })).toEqual({ reason: '误评' })
  })

  it('builds event details from known fields only', () => {
    const c = { ...sampleCommand('return'), extra: 1 } as unknown as Command
    expect(commandDetail(c)).toEqual({ corrections: [{ path: 'materials.id_card', label: '居民身份证', reason: '复印件不清晰' }] })
    expect(commandDetail(sampleCommand('accept'))).toBeUndefined()
    expect(commandDetail({ ...sampleCommand('refuse'), x: 2 } as unknown as Command)).toEqual({ reason: '不属于本事项受理范围', appeal: '可于60日内向宿松县人民政府申请行政复议' })
  })

  it('measures nesting without following it past the limit', () => {
    expect(jsonDepth('a')).toBe(0)
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3)
    expect(jsonDepth(deep(5000), 10)).toBeLessThanOrEqual(11)
  })
})
