import { describe, expect, it } from 'vitest'
import catalogue from '../../demo/catalogue.json'
import { blockingProblems, computeDerived, validateCase, type MaterialState, type ServiceItem } from '../../src/core'

const items = catalogue.items as ServiceItem[]
const dibao = items.find((i) => i.name === '最低生活保障')!

// Sample values for the demo catalogue's patterned text fields.
const PATTERNED: Record<string, string> = { bank_account_number: '6222021234567890123', disability_certificate_no: '34082619560312001911' }

function completeValues(item: ServiceItem): Record<string, string> {
  const v: Record<string, string> = {}
  for (const f of item.fields) {
    if (f.pattern) {
      v[f.id] = PATTERNED[f.id] ?? ''
      continue
    }
    switch (f.type) {
      case 'id-number': v[f.id] = '340826195603120019'; break
      case 'phone': v[f.id] = '13812345678'; break
      case 'bank-account': v[f.id] = '4111111111111111'; break
      case 'date': v[f.id] = '2026-03-01'; break
      case 'number': v[f.id] = String(f.min ?? 1); break
      case 'money': v[f.id] = String(f.min ?? 0); break
      case 'select': v[f.id] = f.options![0]!.value; break
      default: v[f.id] = '测试'
    }
  }
  return { ...v, ...computeDerived(item.fields, v, '2026-11-27') }
}

function allReceived(item: ServiceItem): Record<string, MaterialState> {
  return Object.fromEntries(item.materials.map((m) => [m.id, { status: 'received', copies: m.copies, photos: [] }]))
}

describe('validateCase', () => {
  it('finds nothing wrong with a complete case of every demo item', () => {
    for (const item of items) expect(validateCase(item, completeValues(item), allReceived(item), '2026-11-27')).toEqual([])
  })

  it('returns every problem at once, fields and materials together', () => {
    const values = { ...completeValues(dibao), applicant_name: '', applicant_id: '340826195603120018', applicant_phone: '12345' }
    const materials = { ...allReceived(dibao) }
    const [first, second] = dibao.materials.filter((m) => m.required)
    delete materials[first!.id]
    materials[second!.id] = { status: 'received', copies: 0, photos: [] }
    const problems = validateCase(dibao, values, materials, '2026-11-27')
    expect(problems.map((p) => `${p.path}:${p.code}`)).toEqual([
      'form.applicant_name:required',
      'form.applicant_id:id_number',
      'form.applicant_phone:phone', // the item accepts a landline too
      `materials.${first!.id}:material_missing`,
      `materials.${second!.id}:too_few_copies`,
    ])
    expect(problems.find((p) => p.path === 'form.applicant_id')?.params).toEqual({ reason: 'check_character' })
  })

  it('allows a required material to follow later, as a warning that does not block intake', () => {
    const m = dibao.materials.find((x) => x.required)!
    const problems = validateCase(dibao, completeValues(dibao), { ...allReceived(dibao), [m.id]: { status: 'to_follow', copies: 0, photos: [] } }, '2026-11-27')
    expect(problems).toEqual([{ path: `materials.${m.id}`, code: 'material_to_follow', severity: 'warning' }])
    expect(blockingProblems(problems)).toEqual([])
  })

  it('accepts an e-certificate only where the item allows it', () => {
    const item = items.find((i) => i.materials.some((m) => m.eCertificate) && i.materials.some((m) => !m.eCertificate))!
    const yes = item.materials.find((m) => m.eCertificate)!
    const no = item.materials.find((m) => !m.eCertificate)!
    const materials = { ...allReceived(item), [yes.id]: { status: 'e_certificate', copies: 0, photos: [] }, [no.id]: { status: 'e_certificate', copies: 0, photos: [] } } as Record<string, MaterialState>
    expect(validateCase(item, completeValues(item), materials, '2026-11-27').map((p) => p.path)).toEqual([`materials.${no.id}`])
  })

  it('checks numbers, money, dates, options, lengths and ranges', () => {
    const item: ServiceItem = {
      ...dibao,
      materials: [],
      fields: [
        { id: 'n', label: '人数', type: 'number', required: true, min: 1, max: 20 },
        { id: 'm', label: '收入', type: 'money', required: true, max: 100000 },
        { id: 'd', label: '日期', type: 'date', required: true },
        { id: 's', label: '类别', type: 'select', required: true, options: [{ value: 'a', label: 'A' }] },
        { id: 't', label: '说明', type: 'textarea', required: false, maxLength: 5 },
        { id: 'p', label: '编号', type: 'text', required: false, pattern: '^\\d+$' },
      ],
    }
    const problems = validateCase(item, { n: '25', m: '12.345', d: '2026-02-30', s: 'b', t: '一二三四五六', p: 'abc' }, {})
    expect(problems.map((p) => `${p.path}:${p.code}`)).toEqual(['form.n:above_max', 'form.m:not_money', 'form.d:not_date', 'form.s:not_an_option', 'form.t:too_long', 'form.p:pattern'])
    expect(validateCase(item, { n: '0', m: '-1', d: '2026-02-28', s: 'a' }, {}).map((p) => `${p.path}:${p.code}`)).toEqual(['form.n:below_min', 'form.m:not_money'])
  })

  it('flags materials the item does not know', () => {
    expect(validateCase(dibao, completeValues(dibao), { ...allReceived(dibao), forged: { status: 'received', copies: 1, photos: [] } }, '2026-11-27')).toEqual([
      { path: 'materials.forged', code: 'unknown_material', severity: 'error' },
    ])
  })
})
