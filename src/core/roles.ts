// Who acts on a case and where they may act. A user's scope is one division code; the case
// belongs to a village, and division codes nest by prefix, so scope checks need no lookups.

import type { DivisionCode, UserId, VillageCode } from './brand'
import type { Department } from './catalogue'
import { isWithin, levelOfCode, type OrgLevel } from './org'

export const Roles = ['agent', 'township', 'county', 'admin'] as const
export type Role = (typeof Roles)[number]

/** The division level each role's scope must have. */
export const ScopeLevelOfRole: Record<Role, OrgLevel> = {
  agent: 'village',
  township: 'township',
  county: 'county',
  admin: 'county',
}

export interface Actor {
  userId: UserId
  role: Role
  scope: DivisionCode
  /** A township or county window clerk may be limited to one department. */
  department?: Department
}

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (Roles as readonly string[]).includes(s)
}

export function scopeFitsRole(role: Role, scope: string): boolean {
  return levelOfCode(scope) === ScopeLevelOfRole[role]
}

export function inScope(actor: Actor, village: VillageCode): boolean {
  return isWithin(village, actor.scope)
}
