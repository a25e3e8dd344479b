import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildPaperContent, correctionClockNote, initialWorkflow, isReprint, issuingBody, type ServiceItem, type VillageCode, type WorkflowState } from '../../src/core'

const catalogue = JSON.parse(readFileSync(new URL('../../demo/catalogue.json', import.meta.url), 'utf8')) as { items: ServiceItem[] }
const item = catalogue.items.find((i) => i.name === '临时救助')!
const village = '340826106001' as VillageCode
const rules = { level: item.level, kind: item.kind, limitDays: item.promisedLimitDays, correctionClock: item.correctionClock, department: item.department }

function source(over: Partial<Parameters<typeof buildPaperContent>[0]> = {}) {
  const idField = item.fields.find((f) => f.type === 'id-number')!
  return {
    kind: 'receipt' as const,
    meta: { number: '340826106001-260302-001-0001-0' as never, village },
    form: { applicant_name: '李桂兰', [idField.id]: '340826195603120019' },
    materials: { [item.materials[0]!.id]: { status: 'received' as const, copies: 2, photos: [] } },
    workflow: { state: null, events: [] },
    item,
    names: new Map([['340826106001', '破凉社区'], ['340826106', '华亭镇']]),
    agentName: '王代办',
    takenInAt: '2026-03-02T02:00:00.000Z',
    reprint: false,
    ...over,
  }
}

describe('paper-build', () => {
  it('builds a receipt from case data with the ID masked, every material and the expected day', () => {
    const c = buildPaperContent(source())
    expect(c.residentIdMasked).toBe('340826********0019')
    expect(JSON.stringify(c)).not.toContain('340826195603120019')
    expect([c.station, c.township]).toEqual(['破凉社区', '华亭镇'])
    expect(c.materials.map((m) => m.name)).toEqual(item.materials.map((m) => m.name))
    expect(c.materials[0]).toMatchObject({ status: 'received', copies: 2 })
    expect(c.expectedOn > '2026-03-02').toBe(true)
    expect(c.office).toBe('')
  })

  it('takes the refusal reason and appeal route from the workflow, and the office from the township', () => {
    const state: WorkflowState = { ...initialWorkflow(village, rules), status: 'refused', submission: 1, refusal: { reason: '不属于本乡镇户籍', appeal: '可申请行政复议', on: '2026-03-03' } }
    const c = buildPaperContent(source({ kind: 'refusal', workflow: { state, events: [{ id: 'c1', type: 'refuse', at: '2026-03-03T01:00:00.000Z', by: 'u' as never, role: 'township', status: 'refused' }] } }))
    expect([c.reason, c.appeal, c.office, c.eventAt]).toEqual(['不属于本乡镇户籍', '可申请行政复议', '华亭镇便民服务中心', '2026-03-03T01:00:00.000Z'])
  })

  it('names the actual body on a completion notice', () => {
    expect(issuingBody('乡镇人民政府（民政办）', '华亭镇', '宿松县')).toBe('华亭镇人民政府（民政办）')
    expect(issuingBody('县民政局', '华亭镇', '宿松县')).toBe('宿松县民政局')
  })

  it('states the clock rule of a correction before and after acceptance', () => {
    const base = initialWorkflow(village, rules)
    expect(correctionClockNote({ ...base, returnedFrom: 'submitted' })).toContain('自受理之日起')
    expect(correctionClockNote({ ...base, returnedFrom: 'accepted', rules: { ...rules, correctionClock: 'restart' } })).toContain('重新计算')
    expect(correctionClockNote({ ...base, returnedFrom: 'accepted', rules: { ...rules, correctionClock: 'pause' } })).toContain('暂停')
  })

  it('calls a second receipt a reprint, and a notice a reprint only when printed since its decision', () => {
    expect(isReprint('receipt', '2026-03-02T02:00:00.500Z', [])).toBe(false)
    expect(isReprint('receipt', '2026-03-05T00:00:00.000Z', [{ kind: 'receipt', at: '2026-03-02T02:00:00.000Z' }])).toBe(true)
    expect(isReprint('correction', '2026-03-05T00:00:00.000Z', [{ kind: 'correction', at: '2026-03-02T02:00:00.000Z' }])).toBe(false)
    expect(isReprint('correction', '2026-03-05T00:00:00.300Z', [{ kind: 'correction', at: '2026-03-05T00:00:00.000Z' }])).toBe(true)
  })
})
