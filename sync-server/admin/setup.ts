// First run without demo data: the server issues a one-time setup link (random token, valid 24 h,
// usable once, only while no administrator exists) and logs it once. The page behind it creates
// the first administrator for a county; everything else is then done in the app.

import { createHash, randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { DaibanError, ErrorCode, isDaibanError, type Role } from '../../src/core'
import type { Storage } from '../storage'
import { accountProblems, createAccount, type FieldProblem } from './accounts'
import { dbOf } from './db'

export const SETUP_TTL_MS = 24 * 3600 * 1000
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export { dbOf }

export async function countAdmins(storage: Storage): Promise<number> {
  const row = await dbOf(storage).selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('role', '=', 'admin' satisfies Role).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A new setup token when no administrator exists (earlier unused tokens stop working); else null. */
export async function issueSetupToken(storage: Storage, now = Date.now()): Promise<string | null> {
  if ((await countAdmins(storage)) > 0) return null
  const token = randomBytes(32).toString('base64url')
  const db = dbOf(storage)
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('setup_tokens').where('used_at', 'is', null).execute()
    await trx.insertInto('setup_tokens').values({ hash: sha256(token), expires_at: now + SETUP_TTL_MS, used_at: null }).execute()
  })
  return token
}

/** Logs the setup link once at start-up when the database has no administrator. */
export async function announceSetup(storage: Storage, baseUrl: string, log: Logger): Promise<string | null> {
  const token = await issueSetupToken(storage)
  if (!token) return null
  const link = `${baseUrl.replace(/\/$/, '')}/setup?token=${token}`
  log.warn({ setupLink: link, validHours: 24 }, `no administrator yet: open ${link} within 24 hours to create the first one (single use), or run: npm run admin -- create-user --role admin`)
  return link
}

export async function setupTokenValid(storage: Storage, token: string, now = Date.now()): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token)) return false
  const row = await dbOf(storage).selectFrom('setup_tokens').selectAll().where('hash', '=', sha256(token)).executeTakeFirst()
  return !!row && row.used_at === null && Number(row.expires_at) > now && (await countAdmins(storage)) === 0
}

export interface SetupInput {
  token: string
  countyCode: string
  countyName: string
  username: string
  displayName: string
  password: string
  passwordAgain: string
}

/** Creates the first administrator; every problem of the form at once, the token spent only on success. */
export async function completeSetup(storage: Storage, input: SetupInput, now = Date.now()) {
  const problems: FieldProblem[] = accountProblems({ ...input, role: 'admin', scope: input.countyCode })
  if (!/^\d{6}$/.test(input.countyCode)) problems.push({ field: 'countyCode', code: 'invalid_scope', message: 'countyCode: the 6-digit county division code' })
  if (!input.countyName.trim() || [...input.countyName.trim()].length > 40) problems.push({ field: 'countyName', code: 'invalid_name', message: 'countyName: 1–40 characters' })
  if (input.password !== input.passwordAgain) problems.push({ field: 'passwordAgain', code: 'password_mismatch', message: 'passwordAgain: the two passwords differ' })
  if (problems.length) throw new DaibanError(ErrorCode.validation, problems.map((p) => p.message).join('; '), { problems })
  if (!(await setupTokenValid(storage, input.token, now))) throw new DaibanError(ErrorCode.forbidden, 'this setup link is used, expired or replaced, or an administrator exists')
  const db = dbOf(storage)
  const hash = sha256(input.token)
  const spent = await db.updateTable('setup_tokens').set({ used_at: now }).where('hash', '=', hash).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst()
  if (Number(spent.numUpdatedRows) !== 1) throw new DaibanError(ErrorCode.forbidden, 'this setup link is used, expired or replaced')
  try {
    return await createAccount(
      storage,
      { username: input.username, displayName: input.displayName, role: 'admin', scope: input.countyCode, password: input.password },
      { userId: 'setup', deviceId: 'setup-link' },
      { countyName: input.countyName },
    )
  } catch (e) {
    await db.updateTable('setup_tokens').set({ used_at: null }).where('hash', '=', hash).execute()
    if (isDaibanError(e)) throw e
    throw e
  }
}
