import { describe, expect, it } from 'vitest'
import org from '../../demo/org.json'
import { countyOf, createOrgTree, isWithin, levelOfCode, townshipOf, validateOrgUnits, type OrgUnit, type VillageCode } from '../../src/core'

const units = org.units as OrgUnit[]

describe('org', () => {
  it('ships a valid demo tree with at least three villages per township', () => {
    expect(validateOrgUnits(units)).toEqual([])
    const tree = createOrgTree(units)
    for (const township of ['340826106', '340826107']) expect(tree.children(township).length).toBeGreaterThanOrEqual(3)
    expect(tree.path('340826106001').map((u) => u.name)).toEqual(['安徽省', '安庆市', '宿松县', '华亭镇', '破凉社区'])
    expect(tree.get('340826106')?.formerNames).toContain('破凉镇')
  })

  it('marks every invented village as demo data', () => {
    const villages = units.filter((u) => u.level === 'village')
    expect(villages.filter((u) => !u.demo).map((u) => u.code)).toEqual(['340826106001'])
  })

  it('derives levels and parents from codes', () => {
    expect(levelOfCode('34')).toBe('province')
    expect(levelOfCode('340826106')).toBe('township')
    expect(levelOfCode('3408261060')).toBeNull()
    expect(townshipOf('340826106001' as VillageCode)).toBe('340826106')
    expect(countyOf('340826106001' as VillageCode)).toBe('340826')
  })

  it('tests scope by code prefix', () => {
    expect(isWithin('340826106001', '340826106')).toBe(true)
    expect(isWithin('340826106001', '340826')).toBe(true)
    expect(isWithin('340826107291', '340826106')).toBe(false)
    expect(isWithin('340826106001', '3408261')).toBe(false) // not a division code
  })

  it('reports every structural problem', () => {
    const bad = [
      { code: '34', name: '安徽省', level: 'province' },
      { code: '340826106', name: '', level: 'village', parent: '340826' },
      { code: '340827106001', name: 'x', level: 'village', parent: '340826106' },
    ] as OrgUnit[]
    expect(validateOrgUnits(bad)).toEqual([
      'units[1] (340826106): code length does not match level village',
      'units[1] (340826106): name is empty',
      'units[1] (340826106): parent 340826 is not in the tree',
      'units[2] (340827106001): code does not start with parent 340826106',
    ])
  })
})
