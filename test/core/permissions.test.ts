import { describe, expect, it } from 'vitest'
import { canRead, CaseRoots, CaseStatuses, Roles, rootAccess } from '../../src/core'
import { actors, statesByStatus } from '../helpers/workflow'

describe('permissions', () => {
  it('lets only the agent edit form and materials, and only in draft or returned', () => {
    for (const role of Roles)
      for (const status of CaseStatuses)
        for (const root of ['form', 'materials'] as const)
          expect(rootAccess(role, root, status)).toBe(role === 'agent' && (status === 'draft' || status === 'returned') ? 'write' : 'none')
  })

  it('lets nobody write workflow (the server alone does) and everybody add notes', () => {
    for (const role of Roles)
      for (const status of CaseStatuses) {
        expect(rootAccess(role, 'workflow', status)).toBe('none')
        expect(rootAccess(role, 'notes', status)).toBe('create')
      }
  })

  it('lets meta be created once by the agent of a draft', () => {
    const grants = Roles.flatMap((role) => CaseStatuses.map((status) => [role, status, rootAccess(role, 'meta', status)]))
    expect(grants.filter(([, , a]) => a !== 'none')).toEqual([['agent', 'draft', 'create']])
    expect(CaseRoots).toEqual(['meta', 'form', 'materials', 'notes', 'workflow'])
  })

  it('shows a case to the county only once it has been forwarded, and never out of scope', () => {
    const s = statesByStatus()
    expect(canRead(actors.county, s.accepted!)).toBe(false)
    expect(canRead(actors.county, s.forwarded!)).toBe(true)
    expect(canRead(actors.county, s.completed!)).toBe(true)
    expect(canRead(actors.township, s.draft!)).toBe(false)
    expect(canRead(actors.township, s.submitted!)).toBe(true)
    expect(canRead(actors.agent, s.draft!)).toBe(true)
    for (const state of Object.values(s)) {
      expect(canRead(actors.agent2, state)).toBe(false)
      expect(canRead(actors.township2, state)).toBe(false)
      expect(canRead(actors.otherCounty, state)).toBe(false)
    }
  })
})
