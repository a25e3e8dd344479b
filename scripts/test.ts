// Runs every test suite on a fresh machine: installs Debian's Chromium, poppler and a CJK font when missing, starts the
// installed PostgreSQL when it is down, builds the PWA, runs vitest, and ends with one plain line
// "N passed, N failed, N skipped". The exit code is vitest's.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  return r.status ?? 1
}

function banner(lines: string[]) {
  const bar = '!'.repeat(78)
  console.log(`\n${bar}\n${lines.map((l) => `!!  ${l}`).join('\n')}\n${bar}\n`)
}

/** Debian packages the browser and paper tests need: Chromium, a CJK font, poppler (pdftotext, pdftoppm). */
const PACKAGES: { name: string; present: () => boolean }[] = [
  { name: 'chromium', present: () => existsSync(CHROMIUM) },
  { name: 'poppler-utils', present: () => existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdftoppm') },
  { name: 'fonts-wqy-microhei', present: () => existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc') || existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') },
]

function ensureDebianPackages(): string[] {
  const missing = PACKAGES.filter((p) => !p.present()).map((p) => p.name)
  if (missing.length) {
    console.log(`Installing missing Debian packages: ${missing.join(' ')} …`)
    const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n']
    const run = (args: string[]) => sh(asRoot[0] ?? args[0]!, asRoot.length ? [...asRoot.slice(1), ...args] : args.slice(1), { ...process.env, DEBIAN_FRONTEND: 'noninteractive' })
    run(['apt-get', 'update', '-qq'])
    run(['apt-get', 'install', '-y', '-qq', ...missing])
  }
  return PACKAGES.filter((p) => !p.present()).map((p) => p.name)
}

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

async function ensurePostgres(): Promise<boolean> {
  if (await pgReachable()) return true
  if (existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      console.log(`PostgreSQL is down: starting cluster ${version}/main …`)
      sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'])
    }
    for (let i = 0; i < 20; i++) {
      if (await pgReachable()) return true
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  return false
}

const env: NodeJS.ProcessEnv = { ...process.env }
const missing = ensureDebianPackages()
if (existsSync(CHROMIUM)) env.CHROMIUM_PATH = CHROMIUM
else banner(['CHROMIUM COULD NOT BE INSTALLED: the browser (e2e) tests will be SKIPPED.'])
if (missing.length) banner([`COULD NOT INSTALL ${missing.join(', ')}: the tests that need them will fail.`])

if (await ensurePostgres()) env.TEST_DATABASE_URL = PG_URL
else {
  delete env.TEST_DATABASE_URL
  banner(['NO POSTGRESQL SERVER COULD BE REACHED OR STARTED:', 'every PostgreSQL test will be SKIPPED. Only SQLite was tested.'])
}

if (sh('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0 || sh('npx', ['vite', 'build', '-c', 'vite.server.config.ts']) !== 0) {
  console.log('0 passed, 1 failed')
  process.exit(1)
}

// Tests that run the server as a separate process run the build, as production does.
env.DAIBAN_SERVER_ENTRY = 'dist-server/main.js'
mkdirSync('.vitest', { recursive: true })
const reportFile = join('.vitest', 'report.json')
const status = sh('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)], env)

let summary = '0 passed, 1 failed'
let failed = 1
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
  const skipped = report.numPendingTests + report.numTodoTests
  failed = report.numFailedTests
  summary = `${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`
} catch {
  // No report: vitest crashed before writing it; the summary stays a failure.
}
if (!env.TEST_DATABASE_URL) banner(['REMINDER: PostgreSQL tests were SKIPPED in this run.'])
console.log(summary)
process.exit(status === 0 && failed === 0 ? 0 : status || 1)
