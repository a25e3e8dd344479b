// Importing townships and villages from the national division-code list: lines of a 12-digit
// code and a name (340826106000 华亭镇, 340826106001 破凉社区). Every row is checked and every
// problem reported at once; the caller imports nothing unless the list is clean.

import type { DivisionCode } from './brand'
import type { OrgUnit } from './org'

export const DIVISION_CSV_MAX_ROWS = 5000
export const DIVISION_NAME_MAX = 40

export const DivisionRowProblem = {
  badCode: 'bad_code',
  badName: 'bad_name',
  outsideScope: 'outside_scope',
  notTownshipOrVillage: 'not_township_or_village',
  duplicate: 'duplicate',
  noParent: 'no_parent',
  tooManyRows: 'too_many_rows',
  badLine: 'bad_line',
} as const
export type DivisionRowProblem = (typeof DivisionRowProblem)[keyof typeof DivisionRowProblem]

export interface DivisionRowError {
  /** 1-based line number in the file. */
  line: number
  code: DivisionRowProblem
  message: string
}

export interface DivisionImport {
  units: OrgUnit[]
  problems: DivisionRowError[]
}

function splitLine(line: string): string[] {
  const cells: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++
      else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',' || ch === '\t') cells.push(cur), (cur = '')
    else cur += ch
  }
  cells.push(cur)
  return cells.map((c) => c.trim())
}

/**
 * Parses a division list for the county `scope`. Lines: code, name (comma or tab separated; an
 * optional header line; the county's own line is allowed and skipped). Townships are codes ending
 * in 000; a village's township must be in the file or in `known`.
 */
export function parseDivisionCsv(text: string, scope: string, known: readonly OrgUnit[]): DivisionImport {
  const problems: DivisionRowError[] = []
  const units: OrgUnit[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const rows = lines.map((l, i) => ({ line: i + 1, text: l })).filter((r) => r.text.trim() !== '')
  if (rows.length > DIVISION_CSV_MAX_ROWS + 1) {
    return { units: [], problems: [{ line: rows[DIVISION_CSV_MAX_ROWS + 1]!.line, code: 'too_many_rows', message: `at most ${DIVISION_CSV_MAX_ROWS} rows per import` }] }
  }
  const seen = new Map<string, number>()
  const townships = new Set(known.filter((u) => u.level === 'township').map((u) => u.code as string))
  const pending: { line: number; code: string; name: string }[] = []
  rows.forEach((r, index) => {
    const [rawCode = '', rawName = '', ...rest] = splitLine(r.text)
    if (index === 0 && !/^\d/.test(rawCode)) return // header line
    const code = rawCode.replace(/\s/g, '')
    const name = rawName.trim()
    const bad = (c: DivisionRowProblem, message: string) => problems.push({ line: r.line, code: c, message })
    if (rest.some((x) => x !== '')) return bad('bad_line', 'expected two columns: code, name')
    if (!/^\d{12}$/.test(code)) return bad('bad_code', `code '${rawCode.slice(0, 20)}' is not 12 digits`)
    if (!name || [...name].length > DIVISION_NAME_MAX || /[\u0000-\u001f<>]/.test(name)) bad('bad_name', `name must be 1–${DIVISION_NAME_MAX} characters`)
    if (!code.startsWith(scope)) return bad('outside_scope', `${code} is not in county ${scope}`)
    if (code === `${scope}000000`) return // the county itself
    if (code.slice(6, 9) === '000') return bad('not_township_or_village', `${code} has no township part`)
    const first = seen.get(code)
    if (first !== undefined) return bad('duplicate', `${code} is listed twice (first on line ${first})`)
    seen.set(code, r.line)
    if (code.endsWith('000')) townships.add(code.slice(0, 9))
    pending.push({ line: r.line, code, name })
  })
  for (const p of pending) {
    if (p.code.endsWith('000')) {
      units.push({ code: p.code.slice(0, 9) as DivisionCode, name: p.name, level: 'township', parent: scope as DivisionCode })
      continue
    }
    const township = p.code.slice(0, 9)
    if (!townships.has(township)) {
      problems.push({ line: p.line, code: 'no_parent', message: `township ${township}000 of ${p.code} is neither in the file nor in the tree` })
      continue
    }
    units.push({ code: p.code as DivisionCode, name: p.name, level: 'village', parent: township as DivisionCode })
  }
  problems.sort((a, b) => a.line - b.line)
  return { units: problems.length ? [] : units, problems }
}
