// Runs the real server as a separate process (as in production) for end-to-end and crash tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { tempDir } from './server'

export interface ServerProcess {
  url: string
  dataDir: string
  child: ChildProcess
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export async function startServerProcess(env: Record<string, string> = {}, keepDataDir?: string): Promise<ServerProcess> {
  const tmp = keepDataDir ? { dir: keepDataDir, remove: () => {} } : tempDir('daiban-proc-')
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: tmp.dir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const line = out.split('\n').find((l) => l.includes('"daiban server listening"'))
      if (line) ok(JSON.parse(line).url as string)
    })
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${stderr}`)))
  })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return {
    url,
    dataDir: tmp.dir,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal)
      const code = await exited
      if (!keepDataDir) tmp.remove()
      return code
    },
  }
}
