// Loads the shipped demo organisation, catalogue and accounts into an empty database.
// Demo accounts exist only when this runs; a production deployment sets DEMO_DATA=0.

import { randomUUID } from 'node:crypto'
import catalogue from '../demo/catalogue.json'
import org from '../demo/org.json'
import users from '../demo/users.json'
import { validateCatalogue, validateOrgUnits, type Department, type DivisionCode, type OrgUnit, type Role, type ServiceItem } from '../src/core'
import { hashPassword } from './auth/password'
import type { Storage } from './storage'

export const demoOrgUnits = org.units as OrgUnit[]
export const demoItems = catalogue.items as ServiceItem[]
export const demoUsers = users.users as { username: string; displayName: string; role: Role; scope: DivisionCode; department?: Department }[]
export const DEMO_PASSWORD = users.password

export async function loadDemoData(storage: Storage): Promise<{ loaded: boolean }> {
  if ((await storage.countUsers()) > 0) return { loaded: false }
  // Several instances may start on one empty database at once: the first to claim it loads.
  const me = randomUUID()
  if ((await storage.setSettingOnce('demo_data_loaded_by', me)) !== me) return { loaded: false }
  const problems = [...validateOrgUnits(demoOrgUnits), ...validateCatalogue(catalogue)]
  if (problems.length) throw new Error(`demo data is invalid: ${problems.join('; ')}`)
  await storage.putOrgUnits(demoOrgUnits)
  await storage.putItems(demoItems)
  // Every demo account has the password 'demo': one scrypt hash (32 MB, ~0.1 s) serves them all.
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const u of demoUsers) await storage.createUser({ ...u, passwordHash, department: u.department ?? null })
  return { loaded: true }
}
