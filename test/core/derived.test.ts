import { describe, expect, it } from 'vitest'
import { computeDerived, evalExpr, parseExpr, validateCase, validateItem, type FieldSpec, type ServiceItem } from '../../src/core'

const fields: FieldSpec[] = [
  { id: 'applicant_id', label: '公民身份号码', type: 'id-number', required: true },
  { id: 'household_size', label: '共同生活家庭人口数', type: 'number', required: true },
  { id: 'monthly_household_income', label: '家庭月总收入', type: 'money', required: true },
  { id: 'per_capita_income', label: '家庭月人均收入', type: 'money', required: true, derive: { expr: 'monthly_household_income / household_size' } },
  { id: 'birth_date', label: '出生日期', type: 'date', required: true, derive: { fromId: 'applicant_id', part: 'birthDate' } },
  { id: 'age', label: '年龄', type: 'number', required: true, derive: { fromId: 'applicant_id', part: 'age' } },
  {
    id: 'sex',
    label: '性别',
    type: 'select',
    required: true,
    options: [
      { value: 'male', label: '男' },
      { value: 'female', label: '女' },
    ],
    derive: { fromId: 'applicant_id', part: 'sex' },
  },
]

describe('derived', () => {
  it('parses field ids, numbers, the four operations and parentheses, with the usual precedence', () => {
    expect(evalExpr(parseExpr('a + b * 2'), { a: '1', b: '3' })).toBe(7)
    expect(evalExpr(parseExpr('(a + b) * 2'), { a: '1', b: '3' })).toBe(8)
    expect(evalExpr(parseExpr('-a / 4'), { a: '2' })).toBe(-0.5)
  })

  it('refuses anything that is not arithmetic over field ids (no code runs)', () => {
    for (const bad of ['alert(1)', 'a;b', 'a +', 'this.x', '(a', 'a b', 'constructor["x"]', 'A + b']) expect(() => parseExpr(bad)).toThrow()
  })

  it('gives nothing for a blank source or a division by zero', () => {
    expect(evalExpr(parseExpr('a / b'), { a: '10', b: '0' })).toBeNull()
    expect(evalExpr(parseExpr('a / b'), { a: '10' })).toBeNull()
  })

  it('computes per-capita income and birth date, age and sex from the ID number (test data)', () => {
    const values = { applicant_id: '34082619480705002X', household_size: '3', monthly_household_income: '1000' }
    expect(computeDerived(fields, values, '2026-07-04')).toEqual({ per_capita_income: '333.33', birth_date: '1948-07-05', age: '77', sex: 'female' })
    expect(computeDerived(fields, { ...values, applicant_id: '340826195603120019' }, '2026-07-04')).toMatchObject({ birth_date: '1956-03-12', age: '70', sex: 'male' })
  })

  it('flags a derived value that does not match its sources, so the server refuses it too', () => {
    const item = { fields, materials: [] } as unknown as ServiceItem
    const values = { applicant_id: '340826195603120019', household_size: '2', monthly_household_income: '900', per_capita_income: '900.00', birth_date: '1956-03-12', age: '70', sex: 'male' }
    const problems = validateCase(item, values, {}, '2026-07-04')
    expect(problems).toEqual([{ path: 'form.per_capita_income', code: 'derived_mismatch', severity: 'error', params: { expected: '450.00' } }])
    expect(validateCase(item, { ...values, per_capita_income: '450.00' }, {}, '2026-07-04')).toEqual([])
  })

  it('checks derived fields in a catalogue: a valid expression over numeric fields of the item', () => {
    const item = (f: FieldSpec[]) => ({ code: 'TEST-1', version: 1, name: 'x', type: 'other', department: 'justice', implementingBody: 'x', level: 'township', serviceObject: 'natural_person', kind: 'instant', legalLimitDays: 0, promisedLimitDays: 0, correctionClock: 'pause', tripsRequired: 0, fee: 0, materials: [], fields: f })
    expect(validateItem(item(fields))).toEqual([])
    const bad = validateItem(
      item([
        ...fields.slice(0, 3),
        { id: 'x', label: 'x', type: 'money', required: false, derive: { expr: 'nothing / household_size' } },
        { id: 'y', label: 'y', type: 'money', required: false, derive: { expr: 'applicant_id * 2' } },
        { id: 'z', label: 'z', type: 'money', required: false, derive: { expr: 'x +' } },
        { id: 'w', label: 'w', type: 'date', required: false, derive: { fromId: 'household_size', part: 'birthDate' } },
      ]),
    )
    expect(bad).toEqual([
      'item.fields[5].derive.expr: ends too early',
      'item.fields[3].derive: unknown field nothing',
      'item.fields[4].derive: applicant_id must be number or money',
      'item.fields[6].derive: household_size must be id-number',
    ])
  })
})
