// A workflow command is its schema exactly. Commands arrive over the network and their fields end
// up in the case document every device of a scope downloads, so each type lists every field it may
// have, every string has a length bound, every list a count bound, and nothing nests deeper than the
// command defines. Unknown fields are refused by name before any value is looked at (a 5,000-level
// deep extra field is never walked). The server builds what it stores from `commandDetail`, never
// from the payload itself.

import { isValidDay } from './day'
import { CommandTypes, DeliveryMethods, MAX_TRIPS, SpecialProcedures, type Command, type CommandType } from './workflow-model'

export const MAX_TEXT = 2000
export const MAX_LABEL = 200
export const MAX_CORRECTION_REASON = 500
export const MAX_CORRECTIONS = 100
export const MAX_VOID_REASON = 500
const MAX_AT = 40

type Rule =
  | { kind: 'text'; max: number; required: boolean; nonBlank: boolean }
  | { kind: 'oneOf'; values: readonly (string | number)[]; required: boolean }
  | { kind: 'bool'; required: boolean }
  | { kind: 'int'; min: number; max: number; required: boolean }
  | { kind: 'day'; required: boolean }
  | { kind: 'instant'; required: boolean }
  | { kind: 'pattern'; re: RegExp; max: number; required: boolean; what: string }
  | { kind: 'list'; of: Schema; min: number; max: number; required: boolean }

/** Field name → rule; a field not listed is refused. */
export type Schema = Readonly<Record<string, Rule>>

const text = (max: number, required = true): Rule => ({ kind: 'text', max, required, nonBlank: required })
const oneOf = (values: readonly (string | number)[], required = true): Rule => ({ kind: 'oneOf', values, required })
const CASE_PATH = /^(form|materials)\.[a-z][a-z0-9_]{0,39}$/

const CORRECTION: Schema = {
  path: { kind: 'pattern', re: CASE_PATH, max: 50, required: false, what: 'form.<field> or materials.<material>' },
  label: text(MAX_LABEL),
  reason: text(MAX_CORRECTION_REASON),
}

const base: Schema = { type: oneOf(CommandTypes), at: { kind: 'instant', required: true } }

/** Every command type's fields, `type` and `at` included. */
export const CommandSchemas: Record<CommandType, Schema> = {
  submit: base,
  withdraw: { ...base, reason: text(MAX_TEXT) },
  discard: base,
  accept: base,
  return: { ...base, corrections: { kind: 'list', of: CORRECTION, min: 1, max: MAX_CORRECTIONS, required: true }, due: { kind: 'day', required: false } },
  refuse: { ...base, reason: text(MAX_TEXT), appeal: text(MAX_TEXT) },
  forward: base,
  complete: { ...base, decision: oneOf(['approved', 'denied']), reason: text(MAX_TEXT, false) },
  deliver: { ...base, method: oneOf(DeliveryMethods), trips: { kind: 'int', min: 0, max: MAX_TRIPS, required: false } },
  rate: { ...base, rating: oneOf([1, 2, 3, 4, 5]), comment: text(MAX_TEXT, false) },
  archive: base,
  suspend: { ...base, procedure: oneOf(SpecialProcedures) },
  resume: base,
  claim: { ...base, takeOver: { kind: 'bool', required: false } },
  release: base,
  answerFollowUp: { ...base, answer: text(MAX_TEXT) },
  voidRating: { ...base, reason: text(MAX_VOID_REASON) },
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

function ruleProblem(rule: Rule, v: unknown, name: string): string | null {
  switch (rule.kind) {
    case 'text':
      if (typeof v !== 'string' || v.length > rule.max) return `${name} must be text of at most ${rule.max} characters`
      return rule.nonBlank && v.trim() === '' ? `${name} must not be blank` : null
    case 'oneOf':
      return rule.values.includes(v as string | number) ? null : `${name} must be one of ${rule.values.join(', ')}`
    case 'bool':
      return typeof v === 'boolean' ? null : `${name} must be true or false`
    case 'int':
      return Number.isInteger(v) && (v as number) >= rule.min && (v as number) <= rule.max ? null : `${name} must be a whole number from ${rule.min} to ${rule.max}`
    case 'day':
      return typeof v === 'string' && v.length === 10 && isValidDay(v) ? null : `${name} must be a day YYYY-MM-DD`
    case 'instant':
      return typeof v === 'string' && v.length <= MAX_AT && !Number.isNaN(Date.parse(v)) ? null : `${name} must be an ISO timestamp`
    case 'pattern':
      return typeof v === 'string' && v.length <= rule.max && rule.re.test(v) ? null : `${name} must be ${rule.what}`
    case 'list': {
      if (!Array.isArray(v)) return `${name} must be a list`
      if (v.length < rule.min || v.length > rule.max) return `${name} must list ${rule.min}–${rule.max} items`
      for (let i = 0; i < v.length; i++) {
        const problem = objectProblem(v[i], rule.of, `${name}[${i}]`)
        if (problem) return problem
      }
      return null
    }
  }
}

/** Checks one object against a schema: unknown fields first (by name), then every listed field. */
export function objectProblem(v: unknown, schema: Schema, name: string): string | null {
  if (!isPlainObject(v)) return `${name} must be an object`
  for (const key of Object.keys(v)) if (!Object.hasOwn(schema, key)) return `unknown field '${key.slice(0, 40)}' in ${name}`
  for (const [key, rule] of Object.entries(schema)) {
    const value = v[key]
    if (value === undefined) {
      if (rule.required) return `${name}.${key} is required`
      continue
    }
    const problem = ruleProblem(rule, value, `${name}.${key}`)
    if (problem) return problem
  }
  return null
}

/** Checks a command's payload (commands arrive over the network). Returns a reason or null. */
export function commandProblem(c: unknown): string | null {
  if (!isPlainObject(c)) return 'command must be an object'
  const type = c.type
  if (typeof type !== 'string' || !(CommandTypes as readonly string[]).includes(type)) return `unknown command type ${typeof type === 'string' ? type.slice(0, 40) : typeof type}`
  const problem = objectProblem(c, CommandSchemas[type as CommandType], type)
  if (problem) return problem
  if (c.type === 'complete' && c.decision === 'denied' && (typeof c.reason !== 'string' || c.reason.trim() === ''))
    return 'complete.reason is required for a denial'
  return null
}

/**
 * The detail of a workflow event, rebuilt field by field from a command that passed
 * `commandProblem`: only known fields, copied as the primitives they were checked to be.
 */
export function commandDetail(c: Command): Record<string, unknown> | undefined {
  switch (c.type) {
    case 'submit':
    case 'discard':
    case 'accept':
    case 'forward':
    case 'archive':
    case 'resume':
    case 'release':
      return undefined
    case 'withdraw':
      return { reason: c.reason }
    case 'return':
      return {
        corrections: c.corrections.map((x) => ({ ...(x.path ? { path: x.path } : {}), label: x.label, reason: x.reason })),
        ...(c.due ? { due: c.due } : {}),
      }
    case 'refuse':
      return { reason: c.reason, appeal: c.appeal }
    case 'complete':
      return { decision: c.decision, ...(c.reason !== undefined ? { reason: c.reason } : {}) }
    case 'deliver':
      return { method: c.method, ...(c.trips !== undefined ? { trips: c.trips } : {}) }
    case 'rate':
      return { rating: c.rating, ...(c.comment !== undefined ? { comment: c.comment } : {}) }
    case 'suspend':
      return { procedure: c.procedure }
    case 'claim':
      return c.takeOver ? { takeOver: true } : undefined
    case 'answerFollowUp':
      return { answer: c.answer }
    case 'voidRating':
      return { reason: c.reason }
  }
}

/** How deep a JSON value nests (a primitive is 0); stops counting past `limit`. */
export function jsonDepth(v: unknown, limit = 32): number {
  if (typeof v !== 'object' || v === null) return 0
  if (limit <= 0) return 1
  let deepest = 0
  for (const child of Object.values(v)) deepest = Math.max(deepest, jsonDepth(child, limit - 1))
  return deepest + 1
}
