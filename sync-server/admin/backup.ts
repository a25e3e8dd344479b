// Backup and restore of the whole database (cases, log, photos, accounts, audit trail). SQLite:
// the online backup API copies a consistent snapshot while the server keeps writing (WAL readers
// never block the writer). PostgreSQL: pg_dump / pg_restore in their custom format.

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { DaibanError, ErrorCode } from '../../src/core'
import { SQLITE_FILE } from '../storage/sqlite'

export interface BackupResult {
  file: string
  bytes: number
  cases: number | null
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('error', (e) => fail(new DaibanError(ErrorCode.config, `cannot run ${cmd}: ${e.message} (install the PostgreSQL client tools)`)))
    child.on('exit', (code) => (code === 0 ? ok() : fail(new DaibanError(ErrorCode.internal, `${cmd} failed (${code}): ${err.trim().slice(0, 2000)}`))))
  })
}

function sqliteCases(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new DaibanError(ErrorCode.validation, `${file} is damaged: ${String(check)}`)
    const hasCases = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'cases'`).get()
    if (!hasCases) throw new DaibanError(ErrorCode.validation, `${file} is not a Daiban database (no cases table)`)
    return (db.prepare('select count(*) as n from cases').get() as { n: number }).n
  } finally {
    db.close()
  }
}

export async function backupDatabase(opts: { dataDir: string; databaseUrl?: string }, target: string): Promise<BackupResult> {
  const file = resolve(target)
  if (existsSync(file)) throw new DaibanError(ErrorCode.conflict, `${file} exists; choose a new file name`)
  if (!existsSync(dirname(file))) throw new DaibanError(ErrorCode.config, `folder ${dirname(file)} does not exist`)
  const partial = `${file}.partial`
  rmSync(partial, { force: true })
  if (opts.databaseUrl) {
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', partial, '--dbname', opts.databaseUrl])
    renameSync(partial, file)
    return { file, bytes: statSync(file).size, cases: null }
  }
  const source = join(opts.dataDir, SQLITE_FILE)
  if (!existsSync(source)) throw new DaibanError(ErrorCode.config, `no database at ${source} (check DATA_DIR)`)
  const db = new BetterSqlite3(source, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    // All pages in one step: one read snapshot, so the copy is the database as of one commit.
    await db.backup(partial, { progress: () => 0x7fffffff })
  } finally {
    db.close()
  }
  const cases = sqliteCases(partial)
  renameSync(partial, file)
  return { file, bytes: statSync(file).size, cases }
}

/** Restores a backup into an empty data folder (SQLite) or an empty database (PostgreSQL). */
export async function restoreDatabase(opts: { dataDir: string; databaseUrl?: string }, source: string, emptyDatabase: () => Promise<boolean>): Promise<BackupResult> {
  const file = resolve(source)
  if (!existsSync(file)) throw new DaibanError(ErrorCode.notFound, `no backup file ${file}`)
  if (opts.databaseUrl) {
    if (!(await emptyDatabase())) throw new DaibanError(ErrorCode.conflict, 'the database at DATABASE_URL is not empty; restore into a new, empty database')
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', opts.databaseUrl, file])
    return { file, bytes: statSync(file).size, cases: null }
  }
  mkdirSync(opts.dataDir, { recursive: true })
  const taken = readdirSync(opts.dataDir).filter((n) => n.startsWith(SQLITE_FILE))
  if (taken.length) throw new DaibanError(ErrorCode.conflict, `${opts.dataDir} already holds a database (${taken.join(', ')}); restore into an empty data folder`)
  const cases = sqliteCases(file)
  const target = join(opts.dataDir, SQLITE_FILE)
  const partial = `${target}.restoring`
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    await db.backup(partial, { progress: () => 0x7fffffff })
  } finally {
    db.close()
  }
  renameSync(partial, target)
  return { file: target, bytes: statSync(target).size, cases }
}
