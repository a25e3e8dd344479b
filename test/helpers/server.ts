// Starts a real server in-process on a free port, on a fresh SQLite folder or PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { startServer, type RunningServer } from '../../sync-server/app'
import type { ServerConfig } from '../../sync-server/config'
import { createTempDatabase } from './pg'

export type StorageChoice = 'sqlite' | 'postgres'

export interface TestServer extends RunningServer {
  stop(): Promise<void>
  login(username: string, password?: string): Promise<string>
  api(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>
}

export function tempDir(prefix = 'daiban-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function startTestServer(storage: StorageChoice = 'sqlite', over: Partial<ServerConfig> = {}): Promise<TestServer> {
  const tmp = tempDir()
  const db = storage === 'postgres' ? await createTempDatabase() : null
  const config: ServerConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir: tmp.dir,
    ...(db ? { databaseUrl: db.url } : {}),
    tokenTtlSeconds: 3600,
    demoData: true,
    logLevel: 'silent',
    ...over,
  }
  const running = await startServer(config, pino({ level: 'silent' }))
  const api: TestServer['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers)
    if (init.token) headers.set('authorization', `Bearer ${init.token}`)
    let body = init.body
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json')
      body = JSON.stringify(init.json)
    }
    return fetch(running.url + path, { ...init, headers, body: body ?? null })
  }
  return {
    ...running,
    api,
    async login(username, password = 'demo') {
      const res = await api('/api/login', { method: 'POST', json: { username, password } })
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`)
      return ((await res.json()) as { token: string }).token
    },
    async stop() {
      await running.close()
      await db?.drop()
      tmp.remove()
    },
  }
}
