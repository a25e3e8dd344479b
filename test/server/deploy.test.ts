import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/server'

// The guide's one-machine set-up: the built server started with exactly the environment the
// systemd unit sets (paths moved into a temporary folder), and the backup unit's command.

const ENTRY = process.env.DAIBAN_SERVER_ENTRY ?? 'dist-server/main.js'
const tmp = tempDir('daiban-deploy-')
afterAll(() => tmp.remove())

function unitEnvironment(file: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^Environment=([A-Z_]+)=(.*)$/.exec(line.trim())
    if (m) env[m[1]!] = m[2]!
  }
  return env
}

function unitValue(file: string, key: string): string {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${key}=`))
  return line!.slice(key.length + 1)
}

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => ok(port))
    })
  })

describe('deploy', () => {
  beforeAll(() => {
    if (!existsSync(ENTRY)) execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '-c', 'vite.server.config.ts'], { stdio: 'ignore' })
  }, 120_000)

  it('starts the built server under the unit file environment; it answers health and readiness and logs the setup link', async () => {
    const unit = unitEnvironment('deploy/daiban.service')
    expect(unit).toMatchObject({ HOST: '127.0.0.1', DATA_DIR: '/var/lib/daiban', DEMO_DATA: '0', STATIC_DIR: '/opt/daiban/dist' })
    expect(unitValue('deploy/daiban.service', 'ExecStart')).toBe('/usr/bin/node dist-server/main.js')
    const port = await freePort()
    const dataDir = join(tmp.dir, 'var-lib-daiban')
    // Only the machine's paths and the port differ from the unit.
    const env = { PATH: process.env.PATH!, ...unit, PORT: String(port), DATA_DIR: dataDir, STATIC_DIR: existsSync('dist') ? 'dist' : join(tmp.dir, 'no-dist') }
    const child = spawn(process.execPath, [process.env.DAIBAN_SERVER_ENTRY ?? ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    try {
      for (let i = 0; i < 600 && !out.includes('setupLink'); i++) await new Promise((r) => setTimeout(r, 50))
      const link = JSON.parse(out.split('\n').find((l) => l.includes('setupLink'))!).setupLink as string
      expect(link).toMatch(/^https:\/\/daiban\.example\.gov\.cn\/setup\?token=[\w-]{43}$/)
      const base = `http://127.0.0.1:${port}`
      const health = await fetch(`${base}/api/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ ok: true, storage: 'sqlite' })
      expect((await fetch(`${base}/api/ready`)).status).toBe(200)
      expect((await fetch(`${base}${new URL(link).pathname}${new URL(link).search}`)).status).toBe(200)
      expect((await fetch(`${base}/metrics`)).status).toBe(200)

      // The backup unit's command, against the running server's data folder.
      const backup = unitValue('deploy/daiban-backup.service', 'ExecStart')
      expect(backup).toContain('node dist-server/admin.js backup /var/backups/daiban/')
      const result = execFileSync(process.execPath, ['dist-server/admin.js', 'backup', join(tmp.dir, 'nightly.bak')], { env: { ...env } }).toString()
      expect(result).toMatch(/backup written to .*nightly\.bak/)
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    expect(child.exitCode).toBe(0) // graceful stop, as systemctl stop does
  }, 60_000)
})
