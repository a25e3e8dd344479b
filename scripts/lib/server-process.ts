// Runs the real server as a separate process (as in production) for end-to-end tests, crash
// tests, the simulator and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface ServerProcess {
  url: string
  dataDir: string
  child: ChildProcess
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export async function startServerProcess(env: Record<string, string> = {}, keepDataDir?: string): Promise<ServerProcess> {
  const dataDir = keepDataDir ?? mkdtempSync(join(tmpdir(), 'daiban-proc-'))
  // The built server (dist-server/main.js) when DAIBAN_SERVER_ENTRY names it, else the sources via tsx.
  const entry = process.env.DAIBAN_SERVER_ENTRY
  const nodeArgs = process.env.DAIBAN_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [] // e.g. --cpu-prof for profiling
  const child = spawn(process.execPath, [...nodeArgs, ...(entry ? [entry] : ['--import', 'tsx', 'sync-server/main.ts'])], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d
      const line = out.split('\n').find((l) => l.includes('"daiban server listening"'))
      if (line) {
        child.stdout!.off('data', onData)
        child.stdout!.resume()
        ok(JSON.parse(line).url as string)
      }
    }
    child.stdout!.on('data', onData)
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${stderr}`)))
  })
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : null))))
  return {
    url,
    dataDir,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const code = await exited
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true })
      return code
    },
  }
}
