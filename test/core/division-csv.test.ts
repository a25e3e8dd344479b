import { describe, expect, it } from 'vitest'
import { parseDivisionCsv, type OrgUnit } from '../../src/core'

const known: OrgUnit[] = [{ code: '340826' as never, name: '宿松县', level: 'county' }, { code: '340826106' as never, name: '华亭镇', level: 'township', parent: '340826' as never }]

describe('division-csv', () => {
  it('reads townships and villages from national 12-digit codes, with header, BOM, tabs and quotes', () => {
    const csv = '\uFEFF代码\t名称\n340826000000\t宿松县\n340826107000\t凉亭镇\n"340826107201","示范村, 东组"\n340826106202,华亭二村\n'
    const r = parseDivisionCsv(csv, '340826', known)
    expect(r.problems).toEqual([])
    expect(r.units).toEqual([
      { code: '340826107', name: '凉亭镇', level: 'township', parent: '340826' },
      { code: '340826107201', name: '示范村, 东组', level: 'village', parent: '340826107' },
      { code: '340826106202', name: '华亭二村', level: 'village', parent: '340826106' }, // township already in the tree
    ])
  })
  it('reports every wrong row with its line and returns no units then', () => {
    const csv = ['340826107000,凉亭镇', '3408261072,短', '340827100000,外县镇', '340826107201,', '340826107000,又一个', '340826108201,无主村', '340826000001,无乡镇', '340826107202,村,多一列'].join('\n')
    const r = parseDivisionCsv(csv, '340826', known)
    expect(r.units).toEqual([])
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'bad_code'],
      [3, 'outside_scope'],
      [4, 'bad_name'],
      [5, 'duplicate'],
      [6, 'no_parent'],
      [7, 'not_township_or_village'],
      [8, 'bad_line'],
    ])
  })
})
