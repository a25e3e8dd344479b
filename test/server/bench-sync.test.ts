import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

// The benchmark itself is run by hand (npm run bench:sync); this keeps it working.
describe('bench-sync', () => {
  it('runs a small row end to end and prints its figures as JSON on the last line', async () => {
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync.ts', '--n', '300', '--storage', 'sqlite'], { stdio: ['ignore', 'pipe', 'inherit'] })
      let stdout = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.on('exit', (code) => resolve({ code, stdout }))
    })
    expect(out.code).toBe(0)
    const { results } = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { results: Record<string, unknown>[] }
    expect(results).toHaveLength(1)
    const row = results[0] as { storage: string; n: number; push: { ms: number; up: number; down: number }; pull: { up: number; down: number }; noop: { up: number; down: number }; rssMB: number }
    expect(row).toMatchObject({ storage: 'sqlite', n: 300 })
    for (const phase of [row.push, row.pull, row.noop]) expect(phase.up).toBeGreaterThan(0)
    expect(row.pull.down).toBeGreaterThan(row.noop.down) // a fresh pull carries the cases, a no-op nothing
    expect(row.noop.up).toBeLessThan(1024)
    expect(row.rssMB).toBeGreaterThan(0)
  }, 120_000)
})
