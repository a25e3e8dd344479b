// The service-item catalogue (事项清单), after the national implementation-list fields we need.
// Catalogue files are data an administrator edits, so the validator reports every problem at
// once, each with the path where it was found.

import type { ItemCode } from './brand'
import { exprFields, IdParts, parseExpr, type DeriveSpec } from './derived'

export const ItemTypes = ['administrative_licensing', 'administrative_payment', 'administrative_confirmation', 'public_service', 'other'] as const
export type ItemType = (typeof ItemTypes)[number]

export const Departments = ['civil_affairs', 'social_security', 'medical_insurance', 'disability', 'health', 'justice'] as const
export type Department = (typeof Departments)[number]

export const HandlingLevels = ['township', 'county'] as const
export type HandlingLevel = (typeof HandlingLevels)[number]

export const ItemKinds = ['instant', 'promised'] as const
export type ItemKind = (typeof ItemKinds)[number]

export const CorrectionClockRules = ['pause', 'restart'] as const
export type CorrectionClockRule = (typeof CorrectionClockRules)[number]

export const ServiceObjects = ['natural_person', 'legal_person'] as const
export type ServiceObject = (typeof ServiceObjects)[number]

export const MaterialForms = ['original', 'copy', 'original_and_copy'] as const
export type MaterialForm = (typeof MaterialForms)[number]

export const FieldTypes = ['text', 'textarea', 'number', 'money', 'date', 'select', 'id-number', 'phone', 'bank-account'] as const
export type FieldType = (typeof FieldTypes)[number]

export interface MaterialSpec {
  id: string
  name: string
  /** English name; the Chinese one is shown when missing. */
  labelEn?: string
  form: MaterialForm
  copies: number
  required: boolean
  /** Can be fetched from the e-certificate store instead of being handed in (免提交). */
  eCertificate: boolean
  note?: string
}

export interface FieldOption {
  value: string
  label: string
  labelEn?: string
}

export interface FieldSpec {
  id: string
  label: string
  /** English label; the Chinese one is shown when missing. */
  labelEn?: string
  type: FieldType
  required: boolean
  min?: number
  max?: number
  maxLength?: number
  pattern?: string
  options?: FieldOption[]
  help?: string
  /** Filled from the resident record when a case is started from a resident. */
  fromResident?: 'name' | 'idNumber' | 'phone' | 'address'
  /** Computed from other fields and shown read-only (see derived.ts); checked at take-in. */
  derive?: DeriveSpec
  /** phone: a landline (区号-号码) is accepted too; otherwise only a mobile number. */
  landline?: boolean
  /** bank-account: the number ends with a Luhn check digit (bank cards). */
  luhn?: boolean
}

export interface ServiceItem {
  code: ItemCode
  version: number
  name: string
  nameEn?: string
  /** Other names people use for the item (低保 for 最低生活保障), found by the item search. */
  aliases?: string[]
  type: ItemType
  department: Department
  implementingBody: string
  level: HandlingLevel
  serviceObject: ServiceObject
  kind: ItemKind
  /** Working days; 0 for an instant item. */
  legalLimitDays: number
  promisedLimitDays: number
  correctionClock: CorrectionClockRule
  tripsRequired: number
  /** Fee in yuan; 0 = free. */
  fee: number
  materials: MaterialSpec[]
  fields: FieldSpec[]
  demo?: boolean
}

const ID = /^[a-z][a-z0-9_]{0,39}$/
const ITEM_CODE = /^[0-9A-Za-z-]{4,40}$/

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNonNegInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0

function oneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v)
}

function checkField(f: unknown, at: string, problems: string[]): void {
  if (!isObj(f)) return void problems.push(`${at}: must be an object`)
  if (typeof f.id !== 'string' || !ID.test(f.id)) problems.push(`${at}.id: must be a lowercase identifier`)
  if (typeof f.label !== 'string' || !f.label) problems.push(`${at}.label: must be non-empty text`)
  if (!oneOf(FieldTypes, f.type)) problems.push(`${at}.type: must be one of ${FieldTypes.join(', ')}`)
  if (typeof f.required !== 'boolean') problems.push(`${at}.required: must be true or false`)
  for (const k of ['min', 'max', 'maxLength'] as const)
    if (f[k] !== undefined && typeof f[k] !== 'number') problems.push(`${at}.${k}: must be a number`)
  if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) problems.push(`${at}.min: greater than max`)
  if (f.pattern !== undefined) {
    try {
      new RegExp(String(f.pattern))
    } catch {
      problems.push(`${at}.pattern: not a valid regular expression`)
    }
  }
  if (f.type === 'select') {
    if (!Array.isArray(f.options) || f.options.length === 0) problems.push(`${at}.options: a select needs options`)
    else
      f.options.forEach((o, i) => {
        if (!isObj(o) || typeof o.value !== 'string' || typeof o.label !== 'string') problems.push(`${at}.options[${i}]: needs value and label`)
      })
  }
  for (const k of ['labelEn', 'help'] as const)
    if (f[k] !== undefined && typeof f[k] !== 'string') problems.push(`${at}.${k}: must be text`)
  for (const k of ['landline', 'luhn'] as const)
    if (f[k] !== undefined && typeof f[k] !== 'boolean') problems.push(`${at}.${k}: must be true or false`)
  if (f.derive !== undefined) checkDerive(f.derive, `${at}.derive`, problems)
  if (f.fromResident !== undefined && !oneOf(['name', 'idNumber', 'phone', 'address'] as const, f.fromResident))
    problems.push(`${at}.fromResident: unknown resident attribute`)
}

function checkDerive(d: unknown, at: string, problems: string[]): void {
  if (!isObj(d)) return void problems.push(`${at}: must be an object`)
  if (typeof d.expr === 'string') {
    try {
      parseExpr(d.expr)
    } catch (e) {
      problems.push(`${at}.expr: ${(e as Error).message}`)
    }
    if (d.decimals !== undefined && (!isNonNegInt(d.decimals) || (d.decimals as number) > 6)) problems.push(`${at}.decimals: must be a whole number 0–6`)
  } else if (typeof d.fromId === 'string') {
    if (!oneOf(IdParts, d.part)) problems.push(`${at}.part: must be one of ${IdParts.join(', ')}`)
  } else problems.push(`${at}: needs "expr" or "fromId"`)
}

/** A derived field may read only the item's own non-derived fields of the right type. */
function checkDerivedSources(fields: unknown[], at: string, problems: string[]): void {
  const byId = new Map<string, Obj>()
  for (const f of fields) if (isObj(f) && typeof f.id === 'string') byId.set(f.id, f)
  fields.forEach((f, i) => {
    if (!isObj(f) || !isObj(f.derive)) return
    const d = f.derive
    let sources: string[] = []
    let types: readonly string[] = []
    if (typeof d.expr === 'string') {
      try {
        sources = exprFields(parseExpr(d.expr))
      } catch {
        return
      }
      types = ['number', 'money']
    } else if (typeof d.fromId === 'string') {
      sources = [d.fromId]
      types = ['id-number']
    }
    for (const id of sources) {
      const src = byId.get(id)
      if (!src) problems.push(`${at}[${i}].derive: unknown field ${id}`)
      else if (src.derive !== undefined) problems.push(`${at}[${i}].derive: ${id} is derived itself`)
      else if (!types.includes(String(src.type))) problems.push(`${at}[${i}].derive: ${id} must be ${types.join(' or ')}`)
    }
  })
}

function checkMaterial(m: unknown, at: string, problems: string[]): void {
  if (!isObj(m)) return void problems.push(`${at}: must be an object`)
  if (typeof m.id !== 'string' || !ID.test(m.id)) problems.push(`${at}.id: must be a lowercase identifier`)
  if (typeof m.name !== 'string' || !m.name) problems.push(`${at}.name: must be non-empty text`)
  if (m.labelEn !== undefined && typeof m.labelEn !== 'string') problems.push(`${at}.labelEn: must be text`)
  if (!oneOf(MaterialForms, m.form)) problems.push(`${at}.form: must be one of ${MaterialForms.join(', ')}`)
  if (!Number.isInteger(m.copies) || (m.copies as number) < 1) problems.push(`${at}.copies: must be a whole number ≥ 1`)
  if (typeof m.required !== 'boolean') problems.push(`${at}.required: must be true or false`)
  if (typeof m.eCertificate !== 'boolean') problems.push(`${at}.eCertificate: must be true or false`)
}

function checkUnique(list: unknown[], at: string, problems: string[]): void {
  const seen = new Set<unknown>()
  list.forEach((x, i) => {
    if (!isObj(x)) return
    if (seen.has(x.id)) problems.push(`${at}[${i}].id: duplicate id ${String(x.id)}`)
    seen.add(x.id)
  })
}

export function validateItem(item: unknown, at = 'item'): string[] {
  const problems: string[] = []
  if (!isObj(item)) return [`${at}: must be an object`]
  if (typeof item.code !== 'string' || !ITEM_CODE.test(item.code)) problems.push(`${at}.code: must be 4–40 letters, digits or dashes`)
  if (!Number.isInteger(item.version) || (item.version as number) < 1) problems.push(`${at}.version: must be a whole number ≥ 1`)
  if (typeof item.name !== 'string' || !item.name) problems.push(`${at}.name: must be non-empty text`)
  if (item.aliases !== undefined && (!Array.isArray(item.aliases) || !item.aliases.every((a) => typeof a === 'string' && a.length > 0)))
    problems.push(`${at}.aliases: must be a list of names`)
  if (!oneOf(ItemTypes, item.type)) problems.push(`${at}.type: must be one of ${ItemTypes.join(', ')}`)
  if (!oneOf(Departments, item.department)) problems.push(`${at}.department: must be one of ${Departments.join(', ')}`)
  if (typeof item.implementingBody !== 'string' || !item.implementingBody) problems.push(`${at}.implementingBody: must be non-empty text`)
  if (!oneOf(HandlingLevels, item.level)) problems.push(`${at}.level: must be township or county`)
  if (!oneOf(ServiceObjects, item.serviceObject)) problems.push(`${at}.serviceObject: must be one of ${ServiceObjects.join(', ')}`)
  if (!oneOf(ItemKinds, item.kind)) problems.push(`${at}.kind: must be instant or promised`)
  if (!oneOf(CorrectionClockRules, item.correctionClock)) problems.push(`${at}.correctionClock: must be pause or restart`)
  for (const k of ['legalLimitDays', 'promisedLimitDays', 'tripsRequired'] as const)
    if (!isNonNegInt(item[k])) problems.push(`${at}.${k}: must be a whole number ≥ 0`)
  if (typeof item.fee !== 'number' || item.fee < 0) problems.push(`${at}.fee: must be a number ≥ 0`)
  if (isNonNegInt(item.legalLimitDays) && isNonNegInt(item.promisedLimitDays)) {
    if (item.promisedLimitDays > item.legalLimitDays) problems.push(`${at}.promisedLimitDays: exceeds the legal limit`)
    if (item.kind === 'instant' && item.promisedLimitDays !== 0) problems.push(`${at}.promisedLimitDays: an instant item has no time limit (0)`)
    if (item.kind === 'promised' && item.promisedLimitDays === 0) problems.push(`${at}.promisedLimitDays: a promised item needs a limit ≥ 1`)
  }
  if (!Array.isArray(item.materials)) problems.push(`${at}.materials: must be a list`)
  else {
    item.materials.forEach((m, i) => checkMaterial(m, `${at}.materials[${i}]`, problems))
    checkUnique(item.materials, `${at}.materials`, problems)
  }
  if (!Array.isArray(item.fields)) problems.push(`${at}.fields: must be a list`)
  else {
    item.fields.forEach((f, i) => checkField(f, `${at}.fields[${i}]`, problems))
    checkUnique(item.fields, `${at}.fields`, problems)
    checkDerivedSources(item.fields, `${at}.fields`, problems)
  }
  return problems
}

export function validateCatalogue(input: unknown): string[] {
  if (!isObj(input) || !Array.isArray(input.items)) return ['items: the catalogue must be an object with a list "items"']
  const problems = input.items.flatMap((item, i) => validateItem(item, `items[${i}]`))
  const seen = new Set<string>()
  input.items.forEach((item, i) => {
    if (!isObj(item)) return
    const key = `${String(item.code)}@${String(item.version)}`
    if (seen.has(key)) problems.push(`items[${i}].code: ${key} appears twice`)
    seen.add(key)
  })
  return problems
}
