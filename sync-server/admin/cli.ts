// `npm run admin -- <command>`: administration from the server's shell, with the server's own
// configuration (DATA_DIR, DATABASE_URL), safe to run while the server runs.
//
//   create-user --role admin --scope 340826 --username wang [--name 王某] [--department civil_affairs] [--scope-name 宿松县]
//               password from a hidden prompt, or the first line of stdin; never from the command line
//   backup FILE         consistent copy while the server runs (SQLite backup API, or pg_dump)
//   restore FILE        into an empty DATA_DIR (or an empty PostgreSQL database)
//   verify-audit        checks the audit hash chain; names every changed or deleted row
//   setup-link          a new one-time link to create the first administrator

import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { DaibanError, isDaibanError, isRole, type Department, type Role } from '../../src/core'
import { configFromEnv } from '../config'
import { openStorage, type Storage } from '../storage'
import { verifyAuditChain } from '../storage/audit-chain'
import { openPostgres } from '../storage/postgres'
import { createAccount } from './accounts'
import { backupDatabase, restoreDatabase } from './backup'
import { dbOf, issueSetupToken } from './setup'

const USAGE = `usage: npm run admin -- <command>
  create-user --role agent|township|county|admin --scope CODE --username NAME [--name DISPLAY] [--department DEPT] [--scope-name COUNTY]
  backup FILE
  restore FILE
  verify-audit
  setup-link`

function flags(args: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (!a.startsWith('--')) throw new DaibanError('bad_request', `unexpected argument '${a}'\n${USAGE}`)
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined]
    if (k === 'password') throw new DaibanError('bad_request', 'a password is never taken from the command line: type it at the prompt or pipe it on stdin')
    const v = inline ?? args[++i]
    if (v === undefined) throw new DaibanError('bad_request', `--${k} needs a value`)
    out.set(k, v)
  }
  return out
}

async function readStdinLine(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) {
    text += chunk
    if (text.includes('\n')) break
  }
  return text.split(/\r?\n/)[0] ?? ''
}

function promptHidden(question: string): Promise<string> {
  let muted = false
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk)
      done()
    },
  })
  const rl = createInterface({ input: process.stdin, output, terminal: true })
  return new Promise((ok) => {
    rl.question(question, (answer) => {
      rl.close()
      process.stderr.write('\n')
      ok(answer)
    })
    muted = true
  })
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdinLine()
  const first = await promptHidden('password (at least 10 characters): ')
  const again = await promptHidden('password again: ')
  if (first !== again) throw new DaibanError('validation', 'the two passwords differ')
  return first
}

async function withStorage<T>(fn: (s: Storage) => Promise<T>): Promise<T> {
  const { storage } = await openStorage(configFromEnv())
  try {
    return await fn(storage)
  } finally {
    await storage.close()
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const config = configFromEnv()
  switch (command) {
    case 'create-user': {
      const f = flags(rest)
      const role = f.get('role') ?? ''
      if (!isRole(role)) throw new DaibanError('bad_request', `--role must be agent, township, county or admin\n${USAGE}`)
      const username = (f.get('username') ?? '').trim().toLowerCase()
      const scope = f.get('scope') ?? ''
      if (!username || !scope) throw new DaibanError('bad_request', `--username and --scope are required\n${USAGE}`)
      const password = await readPassword()
      const user = await withStorage((s) =>
        createAccount(
          s,
          { username, role: role as Role, scope, displayName: f.get('name') ?? username, department: (f.get('department') as Department | undefined) ?? null, password },
          { userId: 'shell', deviceId: 'admin-cli' },
          { ...(f.get('scope-name') ? { countyName: f.get('scope-name')! } : {}) },
        ),
      )
      console.log(`created ${user.role} ${user.username} (${user.id}) for ${user.scope}`)
      return 0
    }
    case 'backup': {
      if (rest.length !== 1) throw new DaibanError('bad_request', `backup needs one FILE\n${USAGE}`)
      const r = await backupDatabase(config, rest[0]!)
      console.log(`backup written to ${r.file} (${r.bytes} bytes${r.cases === null ? '' : `, ${r.cases} cases`})`)
      return 0
    }
    case 'restore': {
      if (rest.length !== 1) throw new DaibanError('bad_request', `restore needs one FILE\n${USAGE}`)
      const r = await restoreDatabase(config, rest[0]!, async () => {
        const { pool } = await openPostgres(config.databaseUrl!, 1)
        try {
          const { rows } = await pool.query(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`)
          return rows[0].n === 0
        } finally {
          await pool.end()
        }
      })
      // Brings a backup from an older version up to this version's schema.
      await withStorage(async () => {})
      console.log(`restored ${r.file}${r.cases === null ? '' : ` (${r.cases} cases)`}; start the server now`)
      return 0
    }
    case 'verify-audit': {
      const { rows, breaks, head } = await withStorage((s) => verifyAuditChain(dbOf(s)))
      if (!breaks.length) {
        console.log(`audit trail intact: ${rows} rows chained`)
        if (head) console.log(`head: row ${head.id} sha256 ${head.hash}`)
        return 0
      }
      for (const b of breaks)
        console.log(
          b.problem === 'unchained'
            ? `audit row ${b.id}: has no hash (written outside the server)`
            : `audit row ${b.id}: does not follow the row before it: it was changed, or a row before it was deleted`,
        )
      console.log(`audit trail BROKEN: ${breaks.length} of ${rows} rows`)
      return 3
    }
    case 'setup-link': {
      const token = await withStorage((s) => issueSetupToken(s))
      if (!token) throw new DaibanError('conflict', 'an administrator exists already: sign in as that administrator to add others')
      console.log(`${config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`}/setup?token=${token}`)
      console.log('valid for 24 hours, once; earlier links stop working')
      return 0
    }
    default:
      console.error(USAGE)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const details = isDaibanError(e) ? (e.details as { problems?: { message: string }[] } | undefined) : undefined
    if (details?.problems) for (const p of details.problems) console.error(`daiban admin: ${p.message}`)
    else console.error(`daiban admin: ${isDaibanError(e) ? e.message : String((e as Error)?.message ?? e)}`)
    process.exit(1)
  },
)
