// Realistic made-up case data for demos, the simulator, benchmarks and tests: Chinese names,
// valid-looking (test) ID numbers, mobiles and texts. Deterministic for a given seed.

import { computeDerived, idCheckCharacter, luhnValid, type FieldSpec, type MaterialState, type ServiceItem } from '../src/core'

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '秀英桂兰玉珍凤芳红梅建国志强永明德华海燕丽娟春生金宝长林小平淑珍文华振华学军秋菊爱民国庆新民红霞家富福全'
const STREETS = ['河西组', '新屋组', '老屋组', '塘埂组', '山口组', '畈心组', '王家湾', '李家冲', '中心街', '长河路']
const REASONS = [
  '家中主要劳动力因病丧失劳动能力，长期服药，家庭收入低于当地低保标准，生活困难。',
  '本人年老体弱，子女在外务工收入微薄，无力赡养，申请给予救助。',
  '因突发疾病住院治疗，自付医疗费用较高，家庭难以承担，特申请救助。',
  '家庭遭遇火灾，房屋及生活用品受损严重，基本生活暂时出现困难。',
  '肢体残疾，行动不便，无固定收入来源，申请享受相关补贴。',
]
const HOSPITALS = ['宿松县人民医院', '宿松县中医院', '安庆市立医院', '安徽省立医院', '华亭镇卫生院']

/** A small deterministic PRNG (mulberry32) so runs can be repeated. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, list: readonly T[] | string): T => list[Math.floor(r() * list.length)] as T

export function fakeName(r: () => number): string {
  return pick<string>(r, SURNAMES) + pick<string>(r, GIVEN) + (r() < 0.6 ? pick<string>(r, GIVEN) : '')
}

/** A valid-format ID number (test data) from 宿松县 with a birth date between 1930 and 2005. */
export function fakeIdNumber(r: () => number): string {
  const y = 1930 + Math.floor(r() * 75)
  const m = 1 + Math.floor(r() * 12)
  const d = 1 + Math.floor(r() * 28)
  const seq = String(Math.floor(r() * 999) + 1).padStart(3, '0')
  const first17 = `340826${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`
  return first17 + idCheckCharacter(first17)
}

export function fakeMobile(r: () => number): string {
  return `1${pick(r, '3589')}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`
}

export function fakeAddress(r: () => number, villageName = '破凉社区'): string {
  return `安徽省安庆市宿松县华亭镇${villageName}${pick(r, STREETS)}${1 + Math.floor(r() * 80)}号`
}

function fakeValue(f: FieldSpec, r: () => number, applicant: { name: string; id: string; phone: string; address: string }): string {
  if (f.fromResident === 'name') return applicant.name
  if (f.fromResident === 'idNumber') return applicant.id
  if (f.fromResident === 'phone') return applicant.phone
  if (f.fromResident === 'address') return applicant.address
  switch (f.type) {
    case 'id-number':
      return fakeIdNumber(r)
    case 'phone':
      return fakeMobile(r)
    case 'date':
      return `2026-${String(1 + Math.floor(r() * 10)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`
    case 'number': {
      const lo = f.min ?? 0
      const hi = Math.min(f.max ?? lo + 10, lo + 10)
      return String(lo + Math.floor(r() * (hi - lo + 1)))
    }
    case 'money': {
      const hi = Math.min(f.max ?? 5000, 20000)
      return (Math.floor(r() * hi * 100) / 100).toFixed(2)
    }
    case 'bank-account': {
      const first = `622202${String(Math.floor(r() * 1e12)).padStart(12, '0')}`
      for (let d = 0; d < 10; d++) if (luhnValid(first + d)) return first + d
      return first + '0'
    }
    case 'select':
      return pick(r, f.options ?? [{ value: '', label: '' }]).value
    case 'textarea':
      return pick(r, REASONS).slice(0, f.maxLength ?? 500)
    case 'text':
      if (f.pattern?.includes('12,30')) return `6222${String(Math.floor(r() * 1e15)).padStart(15, '0')}`
      if (f.pattern) return fakeIdNumber(r) + '11'
      if (/hospital/.test(f.id)) return pick(r, HOSPITALS)
      return fakeName(r)
  }
}

export interface FakeCase {
  values: Record<string, string>
  materials: Record<string, MaterialState>
}

/** A complete case of an item: every field filled, every required material received. */
export function fakeCase(item: ServiceItem, r: () => number): FakeCase {
  const applicant = { name: fakeName(r), id: fakeIdNumber(r), phone: fakeMobile(r), address: fakeAddress(r) }
  const values: Record<string, string> = {}
  for (const f of item.fields) values[f.id] = fakeValue(f, r, applicant)
  Object.assign(values, computeDerived(item.fields, values))
  const materials: Record<string, MaterialState> = {}
  for (const m of item.materials) materials[m.id] = { status: m.eCertificate && r() < 0.3 ? 'e_certificate' : 'received', copies: m.copies, photos: [] }
  return { values, materials }
}
