import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/server'

const tmp = tempDir('daiban-startup-')
afterAll(() => tmp.remove())

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts the real server process; `ready` resolves once stdout matches `until`. */
function spawnServer(env: Record<string, string>, until: (out: string) => boolean = () => false) {
  const entry = process.env.DAIBAN_SERVER_ENTRY
  const child = spawn(process.execPath, entry ? [entry] : ['--import', 'tsx', 'sync-server/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', STATIC_DIR: join(tmp.dir, 'no-dist'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let markReady: (out: string) => void = () => {}
  const ready = new Promise<string>((resolve) => (markReady = resolve))
  child.stdout.on('data', (d) => {
    stdout += d
    if (until(stdout)) markReady(stdout)
  })
  child.stderr.on('data', (d) => (stderr += d))
  const exit = new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
  return { ready, exit, kill: (signal: NodeJS.Signals = 'SIGTERM') => child.kill(signal) }
}

const runServer = (env: Record<string, string>) => spawnServer(env).exit

describe('startup', () => {
  it('exits 1 with one clear line when DATA_DIR is not writable', async () => {
    if (process.getuid?.() === 0) {
      // root can write anywhere; a path under a regular file can never be created.
      const r = await runServer({ DATA_DIR: '/dev/null/daiban', PORT: '0' })
      expect(r.code).toBe(1)
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^daiban: DATA_DIR \/dev\/null\/daiban is not writable/)])
    } else {
      const dir = join(tmp.dir, 'readonly')
      mkdirSync(dir)
      chmodSync(dir, 0o500)
      const r = await runServer({ DATA_DIR: dir, PORT: '0' })
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^daiban: DATA_DIR .* is not writable/)
    }
  })

  it('exits 1 with one clear line when DATABASE_URL cannot be reached', async () => {
    const r = await runServer({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^daiban: cannot reach the database at DATABASE_URL/)])
  })

  it('exits 1 with one clear line when the port is in use', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    const r = await runServer({ DATA_DIR: join(tmp.dir, 'port'), PORT: String(port), HOST: '127.0.0.1' })
    blocker.close()
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toEqual([`daiban: port ${port} is already in use (set PORT to another port)`])
  })

  it('exits 1 on a malformed PORT', async () => {
    const r = await runServer({ PORT: 'eighty' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe("daiban: PORT must be a whole number between 0 and 65535, got 'eighty'\n")
  })

  it('logs structured JSON and shuts down cleanly on SIGTERM', async () => {
    const srv = spawnServer({ DATA_DIR: join(tmp.dir, 'term'), PORT: '0', HOST: '127.0.0.1' }, (out) => out.includes('listening'))
    const out = await srv.ready
    const line = JSON.parse(out.split('\n').find((l) => l.includes('listening'))!)
    expect(line).toMatchObject({ msg: 'daiban server listening', storage: 'sqlite', level: 30 })
    const health = await fetch(`${line.url}/api/health`)
    expect(health.status).toBe(200)
    srv.kill('SIGTERM')
    const exit = await srv.exit
    expect(exit.code).toBe(0)
    expect(exit.stdout).toContain('shutting down')
    expect(exit.stderr).toBe('')
  })
})
