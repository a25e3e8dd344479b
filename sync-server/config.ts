// Server configuration from the environment. Every problem is reported in one line.

import { resolve } from 'node:path'
import { DaibanError, ErrorCode } from '../src/core'

export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  databaseUrl?: string
  /** Built PWA to serve; absent in API-only test servers. */
  staticDir?: string
  tokenTtlSeconds: number
  /** Load the demo organisation, catalogue and accounts into an empty database. */
  demoData: boolean
  /** The address users open (behind a proxy), for links the server prints such as the setup link. */
  publicUrl?: string
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string
  logLevel: string
  /** Seconds between log compaction rounds; 0 turns compaction off. */
  compactIntervalSeconds?: number
  /** Case documents kept in memory (the server's memory grows with it, not with the cases stored). */
  docCacheSize?: number
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new DaibanError(ErrorCode.config, `${key} must be a whole number between ${min} and ${max}, got '${raw}'`)
  return n
}

function publicUrl(raw: string): string {
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(raw)) throw new DaibanError(ErrorCode.config, `PUBLIC_URL must be an http(s) address, got '${raw}'`)
  return raw.replace(/\/$/, '')
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new DaibanError(ErrorCode.config, 'DATABASE_URL must start with postgres://')
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    ...(databaseUrl ? { databaseUrl } : {}),
    staticDir: resolve(env.STATIC_DIR || './dist'),
    tokenTtlSeconds: int(env, 'TOKEN_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    demoData: env.DEMO_DATA !== '0',
    ...(env.PUBLIC_URL ? { publicUrl: publicUrl(env.PUBLIC_URL) } : {}),
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    logLevel: env.LOG_LEVEL || 'info',
    compactIntervalSeconds: int(env, 'COMPACT_INTERVAL_SECONDS', 600, 0, 7 * 24 * 3600),
    docCacheSize: int(env, 'DOC_CACHE_SIZE', 500, 1, 100_000),
  }
}
