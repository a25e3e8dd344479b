// Runs `npm run admin -- …` as a real child process with the server's configuration.
import { spawn } from 'node:child_process'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runAdminCli(args: string[], env: { DATA_DIR: string; DATABASE_URL?: string }, stdin = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/admin/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** Where a storage choice's data lives, as the CLI's environment. */
export function cliEnv(srv: { ctx: { config: { dataDir: string; databaseUrl?: string } } }): { DATA_DIR: string; DATABASE_URL?: string } {
  const c = srv.ctx.config
  return { DATA_DIR: c.dataDir, ...(c.databaseUrl ? { DATABASE_URL: c.databaseUrl } : {}) }
}
