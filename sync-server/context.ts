// What every route handler may use. Built once at start-up by app.ts.

import type { Logger } from 'pino'
import type { LoginThrottle } from './auth/throttle'
import type { ServerConfig } from './config'
import type { Storage } from './storage'

export interface ServerContext {
  config: ServerConfig
  storage: Storage
  log: Logger
  secret: string
  version: string
  userThrottle: LoginThrottle
  addressThrottle: LoginThrottle
}

/** Body size limit of plain JSON endpoints (sync has its own). */
export const JSON_LIMIT = 64 * 1024
