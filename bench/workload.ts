// The benchmark workload: cases of about 30 fields and 5 materials with realistic Chinese text,
// built as the device builds them (one Yjs document per case), kept in memory.

import * as Y from 'yjs'
import { fakeAddress, fakeIdNumber, fakeMobile, fakeName, rng } from '../demo/fake-cases'
import {
  addDays,
  initCaseDoc,
  newCaseNumber,
  setFormValue,
  setMaterial,
  todayInChina,
  type CaseId,
  type FieldSpec,
  type ItemCode,
  type ServiceItem,
  type UserId,
  type VillageCode,
} from '../src/core'

const TEXTS = [
  '申请人常年患有慢性病，需长期服药治疗，家庭经济负担较重，请予以核实救助。',
  '家中共有四口人，两名子女在校就读，配偶无固定工作，收入来源主要依靠务农。',
  '本人于今年三月因病住院，出院后仍需定期复查，医疗费用自付部分难以承担。',
  '房屋年久失修，经村委会实地查看属实，现申请临时救助以解决基本生活困难。',
]

export function benchItem(): ServiceItem {
  const fields: FieldSpec[] = [
    { id: 'applicant_name', label: '申请人姓名', type: 'text', required: true, fromResident: 'name' },
    { id: 'applicant_id', label: '公民身份号码', type: 'id-number', required: true, fromResident: 'idNumber' },
    { id: 'applicant_phone', label: '联系电话', type: 'phone', required: true, fromResident: 'phone' },
    { id: 'address', label: '家庭住址', type: 'text', required: true, fromResident: 'address' },
  ]
  for (let i = 0; i < 8; i++) fields.push({ id: `member_${i}_name`, label: `家庭成员${i + 1}姓名`, type: 'text', required: false })
  for (let i = 0; i < 6; i++) fields.push({ id: `income_${i}`, label: `收入项目${i + 1}`, type: 'money', required: false })
  for (let i = 0; i < 4; i++) fields.push({ id: `date_${i}`, label: `日期${i + 1}`, type: 'date', required: false })
  for (let i = 0; i < 4; i++) fields.push({ id: `note_${i}`, label: `情况说明${i + 1}`, type: 'textarea', required: false })
  fields.push({ id: 'household_size', label: '家庭人口', type: 'number', required: true, min: 1, max: 20 })
  fields.push({ id: 'contact_phone', label: '备用电话', type: 'phone', required: false })
  fields.push({ id: 'spouse_id', label: '配偶身份号码', type: 'id-number', required: false })
  fields.push({ id: 'bank', label: '开户银行', type: 'select', required: true, options: [{ value: 'nongshang', label: '农商银行' }, { value: 'youchu', label: '邮储银行' }] })
  return {
    code: 'BENCH-30F-5M' as ItemCode,
    version: 1,
    name: '综合救助申请（基准测试）',
    type: 'administrative_payment',
    department: 'civil_affairs',
    implementingBody: '宿松县民政局',
    level: 'county',
    serviceObject: 'natural_person',
    kind: 'promised',
    legalLimitDays: 30,
    promisedLimitDays: 20,
    correctionClock: 'pause',
    tripsRequired: 0,
    fee: 0,
    demo: true,
    materials: ['居民身份证', '户口簿', '申请书', '收入证明', '银行卡（折）'].map((name, i) => ({ id: `m${i}`, name, form: 'copy' as const, copies: 1, required: true, eCertificate: i < 2 })),
    fields,
  }
}

export interface BenchCase {
  caseId: CaseId
  doc: Y.Doc
  /** Pending local update (everything so far, or the latest edit). */
  update: Uint8Array
  rawJsonBytes: number
}

function fieldValue(f: FieldSpec, r: () => number): string {
  switch (f.type) {
    case 'id-number':
      return fakeIdNumber(r)
    case 'phone':
      return fakeMobile(r)
    case 'money':
      return (r() * 3000).toFixed(2)
    case 'date':
      return addDays('2026-01-01', Math.floor(r() * 300))
    case 'number':
      return String(1 + Math.floor(r() * 6))
    case 'select':
      return f.options![0]!.value
    case 'textarea':
      return TEXTS[Math.floor(r() * TEXTS.length)]!
    default:
      return f.id === 'address' ? fakeAddress(r) : fakeName(r)
  }
}

export function makeCases(n: number, opts: { item: ServiceItem; village: VillageCode; deviceNumber: number; deviceId: string; userId: UserId; seed?: number }): BenchCase[] {
  const r = rng(opts.seed ?? 42)
  const today = todayInChina()
  const cases: BenchCase[] = []
  for (let i = 0; i < n; i++) {
    const caseId = `bench${String(i).padStart(8, '0')}${Math.floor(r() * 1e9).toString(36)}` as CaseId
    const doc = new Y.Doc({ guid: caseId })
    const number = newCaseNumber({ villageCode: opts.village, date: addDays(today, -Math.floor(i / 9999)), deviceNumber: opts.deviceNumber, sequence: (i % 9999) + 1 })
    const meta = { id: caseId, number, item: opts.item.code, itemVersion: opts.item.version, village: opts.village, createdBy: opts.userId, createdAt: new Date().toISOString(), device: opts.deviceId }
    const form: Record<string, string> = {}
    for (const f of opts.item.fields) form[f.id] = fieldValue(f, r)
    const materials = Object.fromEntries(opts.item.materials.map((m) => [m.id, { status: 'received' as const, copies: 1, photos: [] }]))
    doc.transact(() => {
      initCaseDoc(doc, meta)
      for (const [k, v] of Object.entries(form)) setFormValue(doc, k, v)
      for (const [k, v] of Object.entries(materials)) setMaterial(doc, k, v)
    })
    cases.push({ caseId, doc, update: Y.encodeStateAsUpdate(doc), rawJsonBytes: Buffer.byteLength(JSON.stringify({ meta, form, materials })) })
  }
  return cases
}

/** Changes three fields of a case and returns the update of just that edit. */
export function editCase(c: BenchCase, r: () => number): Uint8Array {
  const sv = Y.encodeStateVector(c.doc)
  c.doc.transact(() => {
    setFormValue(c.doc, 'note_0', TEXTS[Math.floor(r() * TEXTS.length)]!)
    setFormValue(c.doc, 'income_0', (r() * 3000).toFixed(2))
    setFormValue(c.doc, 'member_0_name', fakeName(r))
  })
  return Y.encodeStateAsUpdate(c.doc, sv)
}
