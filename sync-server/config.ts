// Server configuration from the environment. Every problem is reported in one line.

import { resolve } from 'node:path'
import { DaibanError, DEFAULT_FOLLOW_UP_DAYS, ErrorCode } from '../src/core'
import type { DeviceCredentialMode } from './auth/device-credential'

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
  /** Minutes a clerk's claim on a case lives without a command from the clerk. */
  claimLeaseMinutes?: number
  /** Bytes of unfinished uploads and photos no case refers to that one account may hold. */
  uploadQuotaBytes?: number
  /** Request bytes held in memory at once across the server (over it: wait, then 503). */
  bodyBudgetBytes?: number
  /** Serve *.map files (off by default: they give away the sources). */
  serveSourceMaps?: boolean
  /** Connections at once from one client address. */
  maxConnectionsPerAddress?: number
  /** Whether every sync must present its device's credential (auth/device-credential.ts). Unset: optional; the environment (DEVICE_CREDENTIALS) defaults to required. */
  deviceCredentials?: DeviceCredentialMode
  /** Behind a reverse proxy: take the client address for throttling from X-Forwarded-For. */
  trustProxy?: boolean
  /** Queues colour a case "due soon" this many working days before its due day (default 3). */
  dueSoonDays?: number
  /** Working days a township has to answer a 不满意 or 非常不满意 rating (default 5). */
  followUpWorkingDays?: number
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
    claimLeaseMinutes: int(env, 'CLAIM_LEASE_MINUTES', 30, 1, 24 * 60),
    serveSourceMaps: env.SERVE_SOURCE_MAPS === '1',
    trustProxy: env.TRUST_PROXY === '1',
    deviceCredentials: env.DEVICE_CREDENTIALS === 'optional' ? 'optional' : 'required',
    maxConnectionsPerAddress: int(env, 'MAX_CONNECTIONS_PER_ADDRESS', 64, 1, 100_000),
    bodyBudgetBytes: int(env, 'BODY_BUDGET_MB', 48, 8, 4096) * 1024 * 1024,
    dueSoonDays: int(env, 'DUE_SOON_DAYS', 3, 0, 30),
    followUpWorkingDays: int(env, 'FOLLOW_UP_WORKING_DAYS', DEFAULT_FOLLOW_UP_DAYS, 1, 60),
  }
}
