// Reading the audit trail: newest first, filtered by account, case and action, limited to the
// administrator's county (rows of its cases, and administration rows by its accounts).

import { sql } from 'kysely'
import type { AuditPage } from '../../src/core'
import type { Storage } from '../storage'
import { dbOf } from './db'

export interface AuditQuery {
  scope: string
  user?: string
  caseId?: string
  action?: string
  /** Rows with id below this (paging backwards). */
  before?: number
  limit: number
}

export async function queryAudit(storage: Storage, q: AuditQuery): Promise<AuditPage> {
  const db = dbOf(storage)
  let query = db
    .selectFrom('audit')
    .leftJoin('cases', 'cases.id', 'audit.case_id')
    .leftJoin('users', 'users.id', 'audit.user_id')
    .select([
      'audit.id as id', 'audit.at as at', 'audit.case_id as case_id', 'cases.number as number', 'audit.user_id as user_id',
      'users.username as username', 'users.display_name as display_name', 'audit.device_id as device_id', 'audit.action as action', 'audit.detail as detail',
    ])
    .where((eb) =>
      eb.or([
        eb('cases.county', '=', q.scope),
        eb.and([eb('audit.case_id', '=', ''), eb('users.scope', 'like', `${q.scope}%`)]),
      ]),
    )
  if (q.user) query = query.where((eb) => eb.or([eb('audit.user_id', '=', q.user!), eb('users.username', '=', q.user!)]))
  if (q.caseId) query = query.where((eb) => eb.or([eb('audit.case_id', '=', q.caseId!), eb('cases.number', '=', q.caseId!)]))
  if (q.action) query = query.where(sql<boolean>`audit.action like ${`${q.action.replace(/[%_]/g, '')}%`}`)
  if (q.before) query = query.where('audit.id', '<', q.before)
  const rows = await query.orderBy('audit.id', 'desc').limit(q.limit + 1).execute()
  return {
    more: rows.length > q.limit,
    rows: rows.slice(0, q.limit).map((r) => ({
      id: Number(r.id),
      at: new Date(Number(r.at)).toISOString(),
      caseId: r.case_id || null,
      caseNumber: r.number ?? null,
      user: { id: r.user_id, username: r.username ?? null, displayName: r.display_name ?? null },
      deviceId: r.device_id,
      action: r.action,
      detail: JSON.parse(r.detail),
    })),
  }
}
