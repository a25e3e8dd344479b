// The administrative tree province → city → county → township → village. Division codes are
// hierarchical prefixes (340826 ⊂ 340826106 ⊂ 340826106001), so "is this case in my scope"
// is a prefix test and needs no lookup.

import type { CountyCode, DivisionCode, TownshipCode, VillageCode } from './brand'

export const OrgLevels = ['province', 'city', 'county', 'township', 'village'] as const
export type OrgLevel = (typeof OrgLevels)[number]

const CODE_LENGTH: Record<OrgLevel, number> = { province: 2, city: 4, county: 6, township: 9, village: 12 }

export interface OrgUnit {
  code: DivisionCode
  name: string
  level: OrgLevel
  parent?: DivisionCode
  /** Former names (华亭镇 was 破凉镇 until 2022, same code). */
  formerNames?: string[]
  /** Invented for demo data: never to be mistaken for a real division. */
  demo?: boolean
}

export function levelOfCode(code: string): OrgLevel | null {
  if (!/^\d+$/.test(code)) return null
  return OrgLevels.find((l) => CODE_LENGTH[l] === code.length) ?? null
}

export function isVillageCode(s: unknown): s is VillageCode {
  return typeof s === 'string' && levelOfCode(s) === 'village'
}

export function isTownshipCode(s: unknown): s is TownshipCode {
  return typeof s === 'string' && levelOfCode(s) === 'township'
}

export function townshipOf(village: VillageCode): TownshipCode {
  return village.slice(0, CODE_LENGTH.township) as TownshipCode
}

export function countyOf(code: DivisionCode): CountyCode {
  return code.slice(0, CODE_LENGTH.county) as CountyCode
}

/** True when `code` lies inside (or is) the division `scope`. */
export function isWithin(code: string, scope: string): boolean {
  return code.length >= scope.length && code.startsWith(scope) && levelOfCode(scope) !== null
}

export interface OrgTree {
  get(code: string): OrgUnit | undefined
  children(code: string): OrgUnit[]
  /** From the province down to the unit itself. */
  path(code: string): OrgUnit[]
  all(): OrgUnit[]
}

export function validateOrgUnits(units: OrgUnit[]): string[] {
  const problems: string[] = []
  const codes = new Set(units.map((u) => u.code))
  units.forEach((u, i) => {
    const at = `units[${i}] (${u.code})`
    if (levelOfCode(u.code) !== u.level) problems.push(`${at}: code length does not match level ${u.level}`)
    if (!u.name) problems.push(`${at}: name is empty`)
    if (u.level !== 'province') {
      if (!u.parent) problems.push(`${at}: parent is missing`)
      else if (!codes.has(u.parent)) problems.push(`${at}: parent ${u.parent} is not in the tree`)
      else if (!u.code.startsWith(u.parent)) problems.push(`${at}: code does not start with parent ${u.parent}`)
    }
  })
  if (codes.size !== units.length) problems.push('units: duplicate codes')
  return problems
}

export function createOrgTree(units: OrgUnit[]): OrgTree {
  const byCode = new Map(units.map((u) => [u.code as string, u]))
  const kids = new Map<string, OrgUnit[]>()
  for (const u of units) {
    if (!u.parent) continue
    const list = kids.get(u.parent) ?? []
    list.push(u)
    kids.set(u.parent, list)
  }
  for (const list of kids.values()) list.sort((a, b) => a.code.localeCompare(b.code))
  return {
    get: (code) => byCode.get(code),
    children: (code) => kids.get(code) ?? [],
    path(code) {
      const out: OrgUnit[] = []
      for (let u = byCode.get(code); u; u = u.parent ? byCode.get(u.parent) : undefined) out.unshift(u)
      return out
    },
    all: () => [...units],
  }
}
