import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

describe('simulate', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServerProcess()
  })
  afterAll(async () => server?.stop())

  it('runs simulated village devices through the real protocol and prints a JSON summary last', async () => {
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', '--server', server.url, '--user', 'agent', '--password', 'demo', '--devices', '3', '--cases', '4'], { stdio: ['ignore', 'pipe', 'inherit'] })
      let stdout = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.on('exit', (code) => resolve({ code, stdout }))
    })
    expect(out.code).toBe(0)
    const summary = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { devices: number; cases: number; caseIds: string[]; errors: number; ms: number }
    expect(summary).toMatchObject({ devices: 3, cases: 12, errors: 0 })
    expect(new Set(summary.caseIds).size).toBe(12)
    // Every case reached the township queue.
    const login = await (await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo' }) })).json()
    const metrics = await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${login.token}` } })).json()
    expect(metrics.logEntries).toBeGreaterThanOrEqual(12 * 3) // intake, workflow, township snapshot per case
  })
})
