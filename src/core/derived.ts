// Fields the catalogue derives from others: arithmetic over number and money fields
// (家庭月人均收入 = 家庭月总收入 ÷ 共同生活家庭人口数), or the birth date, age or sex read from an ID
// number field (GB 11643). The expression form is tiny and parsed here — field ids, decimal
// numbers, + - * / and parentheses — so a catalogue never runs code. The device computes derived
// values as the agent types; validateCase checks them again, on the device and on the server.

import type { FieldSpec } from './catalogue'
import { idNumberFacts } from './resident'

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'field'; id: string }
  | { kind: 'op'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }

export const IdParts = ['birthDate', 'age', 'sex'] as const
export type IdPart = (typeof IdParts)[number]

export type DeriveSpec = { expr: string; decimals?: number } | { fromId: string; part: IdPart }

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]{0,39})|([-+*/()]))/y
const MAX_EXPR = 200

/** Parses an expression; throws an Error naming the problem (catalogue validation reports it). */
export function parseExpr(src: string): Expr {
  if (src.length > MAX_EXPR) throw new Error(`longer than ${MAX_EXPR} characters`)
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(src)
    if (!m) throw new Error(`unexpected character at ${at}`)
    tokens.push(m[1] ?? m[2] ?? m[3]!)
  }
  let i = 0
  const peek = () => tokens[i]
  const primary = (depth: number): Expr => {
    if (depth > 20) throw new Error('nested too deeply')
    const t = tokens[i++]
    if (t === undefined) throw new Error('ends too early')
    if (t === '(') {
      const e = sum(depth + 1)
      if (tokens[i++] !== ')') throw new Error('missing )')
      return e
    }
    if (t === '-') return { kind: 'op', op: '-', left: { kind: 'num', value: 0 }, right: primary(depth + 1) }
    if (/^\d/.test(t)) return { kind: 'num', value: Number(t) }
    if (/^[a-z]/.test(t)) return { kind: 'field', id: t }
    throw new Error(`unexpected ${t}`)
  }
  const product = (depth: number): Expr => {
    let left = primary(depth)
    while (peek() === '*' || peek() === '/') left = { kind: 'op', op: tokens[i++] as '*' | '/', left, right: primary(depth) }
    return left
  }
  const sum = (depth: number): Expr => {
    let left = product(depth)
    while (peek() === '+' || peek() === '-') left = { kind: 'op', op: tokens[i++] as '+' | '-', left, right: product(depth) }
    return left
  }
  const e = sum(0)
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]}`)
  return e
}

export function exprFields(e: Expr): string[] {
  switch (e.kind) {
    case 'num':
      return []
    case 'field':
      return [e.id]
    case 'op':
      return [...exprFields(e.left), ...exprFields(e.right)]
  }
}

/** null when a field is blank or not a number, or on division by zero. */
export function evalExpr(e: Expr, values: Record<string, unknown>): number | null {
  switch (e.kind) {
    case 'num':
      return e.value
    case 'field': {
      const v = values[e.id]
      const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
      return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null
    }
    case 'op': {
      const a = evalExpr(e.left, values)
      const b = evalExpr(e.right, values)
      if (a === null || b === null) return null
      switch (e.op) {
        case '+':
          return a + b
        case '-':
          return a - b
        case '*':
          return a * b
        case '/':
          return b === 0 ? null : a / b
      }
    }
  }
}

/** The value a derived field must hold ('' when it cannot be computed yet). */
export function deriveValue(spec: DeriveSpec, values: Record<string, unknown>, today?: string): string {
  if ('expr' in spec) {
    let expr: Expr
    try {
      expr = parseExpr(spec.expr)
    } catch {
      return ''
    }
    const n = evalExpr(expr, values)
    if (n === null || !Number.isFinite(n)) return ''
    return n.toFixed(spec.decimals ?? 2)
  }
  const id = values[spec.fromId]
  const facts = typeof id === 'string' ? idNumberFacts(id, today) : null
  if (!facts) return ''
  switch (spec.part) {
    case 'birthDate':
      return facts.birthDate
    case 'age':
      return String(facts.age)
    case 'sex':
      return facts.sex
  }
}

/** Every derived field's value for these values, by field id. */
export function computeDerived(fields: readonly FieldSpec[], values: Record<string, unknown>, today?: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) if (f.derive) out[f.id] = deriveValue(f.derive, values, today)
  return out
}
