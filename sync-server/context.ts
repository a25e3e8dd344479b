// What every route handler may use. Built once at start-up by app.ts.

import type { Logger } from 'pino'
import type { AccessGuard } from './auth/access-guard'
import type { LoginThrottle } from './auth/throttle'
import type { ByteBudget } from './limits/byte-budget'
import type { ServerConfig } from './config'
import type { Storage } from './storage'
import type { Notifier } from './sync/notifier'
import type pg from 'pg'

export interface ServerContext {
  config: ServerConfig
  storage: Storage
  log: Logger
  secret: string
  version: string
  loginThrottle: LoginThrottle
  /** Is an account / device still allowed in (cached briefly, invalidated on change). */
  guard: AccessGuard
  /** Request bytes held in memory across the server (bodies, inflated bodies). */
  bodyBudget: ByteBudget
  notifier: Notifier
  /** Present with PostgreSQL (notifications between instances). */
  pool?: pg.Pool
}

/** Body size limit of plain JSON endpoints (sync has its own). */
export const JSON_LIMIT = 64 * 1024
