// Creating accounts: one path for the shell command, the first-run setup page and the
// administration endpoints, so the same checks (username form, scope level, password policy)
// hold everywhere and every account made leaves an audit row.

import {
  DaibanError, Departments, ErrorCode, isRole, levelOfCode, passwordProblems, PasswordProblemText, scopeFitsRole,
  ScopeLevelOfRole, type Department, type DivisionCode, type Role,
} from '../../src/core'
import { hashPassword } from '../auth/password'
import type { Storage, UserRecord } from '../storage'

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/
export const DISPLAY_NAME_MAX = 40

export interface NewAccount {
  username: string
  displayName: string
  role: Role
  scope: string
  department?: Department | null
  password: string
}

/** Who made the account, for the audit row. */
export interface AdminActor {
  userId: string
  deviceId: string
}

export interface FieldProblem {
  field: string
  code: string
  message: string
}

export function accountProblems(a: NewAccount): FieldProblem[] {
  const p: FieldProblem[] = []
  if (!USERNAME_PATTERN.test(a.username))
    p.push({ field: 'username', code: 'invalid_username', message: 'username: 3–32 lower-case letters, digits, . _ - (starting with a letter or digit)' })
  const name = a.displayName.trim()
  if (!name || [...name].length > DISPLAY_NAME_MAX) p.push({ field: 'displayName', code: 'invalid_display_name', message: `displayName: 1–${DISPLAY_NAME_MAX} characters` })
  if (!isRole(a.role)) p.push({ field: 'role', code: 'invalid_role', message: 'role: one of agent, township, county, admin' })
  else if (!scopeFitsRole(a.role, a.scope))
    p.push({ field: 'scope', code: 'invalid_scope', message: `scope: a ${ScopeLevelOfRole[a.role]} division code for the role ${a.role}` })
  if (a.department != null) {
    if (!(Departments as readonly string[]).includes(a.department)) p.push({ field: 'department', code: 'invalid_department', message: `department: one of ${Departments.join(', ')}` })
    else if (a.role !== 'township' && a.role !== 'county') p.push({ field: 'department', code: 'invalid_department', message: 'department: only window clerks (township, county) have one' })
  }
  for (const code of passwordProblems(a.password, a.username)) p.push({ field: 'password', code, message: `password: ${PasswordProblemText[code]}` })
  return p
}

function validationError(problems: FieldProblem[]): DaibanError {
  return new DaibanError(ErrorCode.validation, problems.map((x) => x.message).join('; '), { problems })
}

/**
 * Creates an account after every check; the scope's division must be known (except a county for
 * an administrator, which `countyName` then adds to the tree).
 */
export async function createAccount(storage: Storage, a: NewAccount, by: AdminActor, opts: { countyName?: string } = {}): Promise<UserRecord> {
  const problems = accountProblems(a)
  if (problems.length) throw validationError(problems)
  const units = await storage.listOrgUnits()
  if (!units.some((u) => u.code === a.scope)) {
    if (levelOfCode(a.scope) === 'county' && opts.countyName?.trim()) {
      await storage.putOrgUnits([{ code: a.scope as DivisionCode, name: opts.countyName.trim().slice(0, 40), level: 'county', parent: a.scope.slice(0, 4) as DivisionCode }])
    } else {
      throw validationError([{ field: 'scope', code: 'unknown_scope', message: `scope: division ${a.scope} is not in the organisation tree${levelOfCode(a.scope) === 'county' ? ' (give the county name to add it)' : ''}` }])
    }
  }
  if (await storage.findUserByUsername(a.username)) throw new DaibanError(ErrorCode.conflict, `username ${a.username} is taken`, { problems: [{ field: 'username', code: 'username_taken', message: 'username: taken' }] })
  let user: UserRecord
  try {
    user = await storage.createUser({
      username: a.username,
      displayName: a.displayName.trim(),
      role: a.role,
      scope: a.scope as DivisionCode,
      department: a.department ?? null,
      passwordHash: await hashPassword(a.password),
    })
  } catch (e) {
    if (/unique|duplicate key/i.test(String((e as Error).message))) throw new DaibanError(ErrorCode.conflict, `username ${a.username} is taken`)
    throw e
  }
  await storage.appendAudit([
    { caseId: '', seq: null, userId: by.userId, deviceId: by.deviceId, action: 'account:create', detail: { account: user.id, username: user.username, role: user.role, scope: user.scope, department: user.department }, at: Date.now() },
  ])
  return user
}
