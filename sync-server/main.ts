// The server process: configuration from the environment, one clear line on any start-up
// problem (exit code 1), graceful shutdown on SIGTERM / SIGINT.

import { accessSync, constants, mkdirSync } from 'node:fs'
import pino from 'pino'
import { isDaibanError } from '../src/core'
import { startServer } from './app'
import { configFromEnv, type ServerConfig } from './config'

function fail(message: string): never {
  process.stderr.write(`daiban: ${message}\n`)
  process.exit(1)
}

function explain(e: unknown, config: ServerConfig | undefined): string {
  const err = e as NodeJS.ErrnoException
  if (isDaibanError(e)) return e.message
  if (err?.code === 'EADDRINUSE') return `port ${config?.port} is already in use (set PORT to another port)`
  if (err?.code === 'EACCES' && err.syscall === 'listen') return `no permission to listen on port ${config?.port}`
  if (config?.databaseUrl && /ECONNREFUSED|ENOTFOUND|timeout|password|does not exist|authentication/i.test(String(err?.message)))
    return `cannot reach the database at DATABASE_URL: ${err.message}`
  return String(err?.message ?? e)
}

let config: ServerConfig | undefined
try {
  config = configFromEnv()
  if (!config.databaseUrl) {
    try {
      mkdirSync(config.dataDir, { recursive: true })
      accessSync(config.dataDir, constants.W_OK)
    } catch (e) {
      fail(`DATA_DIR ${config.dataDir} is not writable (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
    }
  }
  const log = pino({ level: config.logLevel })
  const running = await startServer(config, log)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    running.close().then(
      () => process.exit(0),
      (e) => {
        log.error({ err: e }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
} catch (e) {
  fail(explain(e, config))
}
