// Creating accounts: one path for the shell command, the first-run setup page and the
// administration endpoints, so the same checks (username form, scope level, password policy)
// hold everywhere and every account made leaves an audit row.

import { randomBytes } from 'node:crypto'
import {
  DaibanError, Departments, ErrorCode, isRole, isWithin, levelOfCode, passwordProblems, PasswordProblemText, scopeFitsRole,
  ScopeLevelOfRole, type Department, type DivisionCode, type Role, type UserId,
} from '../../src/core'
import { hashPassword, verifyPassword } from '../auth/password'
import { dbOf } from './db'
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

// ---- administration of existing accounts (scoped to the administrator's county) ----

export interface AccountView {
  id: string
  username: string
  displayName: string
  role: Role
  scope: string
  department: Department | null
  disabled: boolean
  mustChangePassword: boolean
  createdAt: string
}

function outOfScope(what: string): DaibanError {
  // The same answer as for an unknown id: another county's accounts are not even confirmed to exist.
  return new DaibanError(ErrorCode.notFound, `no ${what} with this id in your scope`)
}

export async function listAccounts(storage: Storage, scope: string): Promise<AccountView[]> {
  const db = dbOf(storage)
  const rows = await db.selectFrom('users').selectAll().where('scope', 'like', `${scope}%`).orderBy('scope').orderBy('username').limit(5000).execute()
  const resets = new Set((await db.selectFrom('password_resets').select('user_id').execute()).map((r) => r.user_id))
  return rows
    .filter((r) => isWithin(r.scope, scope))
    .map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role as Role,
      scope: r.scope,
      department: (r.department as Department | null) ?? null,
      disabled: Boolean(r.disabled),
      mustChangePassword: resets.has(r.id),
      createdAt: new Date(Number(r.created_at)).toISOString(),
    }))
}

async function accountInScope(storage: Storage, id: string, scope: string): Promise<UserRecord> {
  const user = await storage.getUser(id as UserId)
  if (!user || !isWithin(user.scope, scope)) throw outOfScope('account')
  return user
}

/** Disables or re-enables an account; never deletes it, so history keeps its name. */
export async function setAccountDisabled(storage: Storage, id: string, disabled: boolean, by: AdminActor & { scope: string }): Promise<AccountView> {
  const user = await accountInScope(storage, id, by.scope)
  if (user.id === by.userId && disabled) throw new DaibanError(ErrorCode.conflict, 'you cannot disable your own account')
  await dbOf(storage).updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', user.id).execute()
  await storage.appendAudit([{ caseId: '', seq: null, userId: by.userId, deviceId: by.deviceId, action: disabled ? 'account:disable' : 'account:enable', detail: { account: user.id, username: user.username }, at: Date.now() }])
  return (await listAccounts(storage, user.scope)).find((a) => a.id === user.id)!
}

const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A temporary password for a reset: 12 characters, no look-alikes, told to the user in person. */
export function temporaryPassword(): string {
  const bytes = randomBytes(12)
  return [...bytes].map((b) => TEMP_ALPHABET[b % TEMP_ALPHABET.length]).join('')
}

/** Gives an account a temporary password; the user must choose a new one at next sign-in. */
export async function resetPassword(storage: Storage, id: string, by: AdminActor & { scope: string }): Promise<{ temporaryPassword: string }> {
  const user = await accountInScope(storage, id, by.scope)
  const password = temporaryPassword()
  const db = dbOf(storage)
  await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', user.id).execute()
  await db
    .insertInto('password_resets')
    .values({ user_id: user.id, by: by.userId, at: Date.now() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ by: by.userId, at: Date.now() }))
    .execute()
  await storage.appendAudit([{ caseId: '', seq: null, userId: by.userId, deviceId: by.deviceId, action: 'account:reset_password', detail: { account: user.id, username: user.username }, at: Date.now() }])
  return { temporaryPassword: password }
}

export async function mustChangePassword(storage: Storage, userId: string): Promise<boolean> {
  return !!(await dbOf(storage).selectFrom('password_resets').select('user_id').where('user_id', '=', userId).executeTakeFirst())
}

/** The user's own change of password (required after a reset). */
export async function changeOwnPassword(storage: Storage, userId: string, current: string, next: string, deviceId: string): Promise<void> {
  const user = await storage.getUser(userId as UserId)
  if (!user || user.disabled) throw new DaibanError(ErrorCode.unauthenticated, 'this account no longer exists')
  if (!(await verifyPassword(current, user.passwordHash))) throw new DaibanError(ErrorCode.validation, 'current: the current password is wrong', { problems: [{ field: 'current', code: 'wrong_password', message: 'current: the current password is wrong' }] })
  const problems: FieldProblem[] = passwordProblems(next, user.username).map((code) => ({ field: 'next', code, message: `next: ${PasswordProblemText[code]}` }))
  if (next === current) problems.push({ field: 'next', code: 'password_unchanged', message: 'next: choose a password different from the current one' })
  if (problems.length) throw validationError(problems)
  const db = dbOf(storage)
  await db.updateTable('users').set({ password_hash: await hashPassword(next) }).where('id', '=', user.id).execute()
  await db.deleteFrom('password_resets').where('user_id', '=', user.id).execute()
  await storage.appendAudit([{ caseId: '', seq: null, userId: user.id, deviceId, action: 'account:change_password', detail: { account: user.id }, at: Date.now() }])
}
