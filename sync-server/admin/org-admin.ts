// The organisation tree of an administrator's county: listing, and importing townships and
// villages from a division-code list, all or nothing.

import { DaibanError, ErrorCode, isWithin, parseDivisionCsv, type OrgUnit } from '../../src/core'
import type { Storage } from '../storage'
import type { AdminActor } from './accounts'

export async function orgOfScope(storage: Storage, scope: string): Promise<OrgUnit[]> {
  return (await storage.listOrgUnits()).filter((u) => isWithin(u.code, scope))
}

/** Checks every row; imports nothing unless every row is right (dryRun: check only). */
export async function importDivisions(storage: Storage, csv: string, by: AdminActor & { scope: string }, dryRun: boolean) {
  const known = await orgOfScope(storage, by.scope)
  const { units, problems } = parseDivisionCsv(csv, by.scope, known)
  if (problems.length) throw new DaibanError(ErrorCode.validation, `${problems.length} rows have problems; nothing was imported`, { rows: problems })
  if (!units.length) throw new DaibanError(ErrorCode.validation, 'the list holds no township or village', { rows: [] })
  const existing = new Set(known.map((u) => u.code as string))
  const added = units.filter((u) => !existing.has(u.code)).length
  const summary = { townships: units.filter((u) => u.level === 'township').length, villages: units.filter((u) => u.level === 'village').length, added, renamed: units.length - added }
  if (dryRun) return { ...summary, imported: false }
  // A county added by the setup has no parent unit; the tree needs its own county.
  await storage.putOrgUnits(units)
  await storage.appendAudit([{ caseId: '', seq: null, userId: by.userId, deviceId: by.deviceId, action: 'org:import', detail: summary, at: Date.now() }])
  return { ...summary, imported: true }
}
