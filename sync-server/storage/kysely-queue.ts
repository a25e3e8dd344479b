// Queue and batch reads over the routing columns of `cases` (migration 030). Every query
// starts from the caller's scope column, so the leading index column is always an equality and
// the queue's keyset (due, id) is read in index order on SQLite and PostgreSQL alike.

import { sql, type Kysely } from 'kysely'
import type { CaseStatus } from '../../src/core'
import { routingFromRow } from './kysely-sync'
import type { Database } from './schema'
import type { BatchQuery, BatchRow, QueueQuery, QueueRow } from './types'

const QUEUE_COLUMNS = [
  'id', 'number', 'village', 'township', 'county', 'item_code', 'department', 'level', 'status', 'state', 'summary', 'updated_at',
  'open', 'due', 'due_kind', 'due_estimated', 'from_receipt', 'paused', 'assignee', 'assignee_name', 'assignee_until',
  'received_at', 'received_by', 'received_device', 'submitted_on', 'accepted_on', 'completed_on', 'closed_on', 'kind',
  'returned', 'on_time', 'work_days', 'trips', 'rating', 'name_key',
] as const

/** The start of a case number: 340826106001-2603… (digits, dashes, the check character). */
const CASE_NUMBER_START = /^\d{6}[\d-]*X?$/
const NUMBER_MATCHES = 1000

/** LIKE pattern text with its wildcards taken literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export async function queryQueue(db: Kysely<Database>, q: QueueQuery): Promise<QueueRow[]> {
  let query = db.selectFrom('cases').select(QUEUE_COLUMNS).where(q.scope.column, '=', q.scope.code)
  if (q.scope.department) query = query.where('department', '=', q.scope.department)
  if (q.scope.reachedCounty) query = query.where('reached_county', '=', 1)
  switch (q.state) {
    case 'open':
      query = query.where('open', '=', 1)
      break
    case 'all':
      if (!q.scope.includeDrafts) query = query.where('status', '!=', 'draft')
      break
    default:
      if (q.state === 'draft' && !q.scope.includeDrafts) return []
      query = query.where('status', '=', q.state)
  }
  if (q.department) query = query.where('department', '=', q.department)
  if (q.village) query = query.where('village', '=', q.village)
  if (q.item) query = query.where('item_code', '=', q.item)
  if (q.assignee !== undefined) {
    const holder = q.assignee
    query = holder === null
      ? query.where((eb) => eb.or([eb('assignee', 'is', null), eb('assignee_until', '<=', q.now)]))
      : query.where('assignee', '=', holder).where('assignee_until', '>', q.now)
  }
  if (q.dueBy) query = query.where('due', '<=', q.dueBy)
  if (q.overdueBefore) query = query.where('due', '<', q.overdueBefore)
  if (q.text && CASE_NUMBER_START.test(q.text)) {
    // A case number (or its start): found through the unique index on numbers, then scoped.
    const found = await db.selectFrom('cases').select('id').where('number', '>=', q.text).where('number', '<', `${q.text}~`).limit(NUMBER_MATCHES).execute()
    if (!found.length) return []
    query = query.where('id', 'in', found.map((r) => r.id))
  } else if (q.text) {
    const t = likeEscape(q.text.toLowerCase())
    query = query.where('name_key', 'like', sql<string>`${`%${t}%`} escape '\\'`)
  }
  if (q.after) query = query.where(sql<boolean>`(due, id) > (${q.after.due}, ${q.after.id})`)
  const rows = await query.orderBy('due').orderBy('id').limit(q.limit).execute()
  return rows.map((r) => {
    const state = JSON.parse(r.state) as { suspendedFor?: string | null }
    return {
      id: r.id,
      number: r.number,
      village: r.village,
      township: r.township,
      itemCode: r.item_code,
      department: r.department,
      level: r.level,
      status: r.status as CaseStatus,
      summary: JSON.parse(r.summary),
      routing: routingFromRow(r as never),
      suspended: Boolean(state.suspendedFor),
      updatedAt: Number(r.updated_at),
    }
  })
}

export async function queryBatches(db: Kysely<Database>, q: BatchQuery): Promise<BatchRow[]> {
  let query = db
    .selectFrom('cases')
    .leftJoin('users', 'users.id', 'cases.received_by')
    .select((eb) => [
      'cases.village as village',
      'cases.received_by as agent',
      'users.display_name as agentName',
      'cases.received_device as device',
      'cases.received_at as receivedAt',
      eb.fn.countAll<number>().as('cases'),
      eb.fn.sum<number>(sql`case when cases.status = 'submitted' then 1 else 0 end`).as('pending'),
    ])
    .where(`cases.${q.column}`, '=', q.code)
    .where('cases.received_at', '>=', q.since)
  if (q.department) query = query.where('cases.department', '=', q.department)
  const rows = await query
    .groupBy(['cases.village', 'cases.received_by', 'users.display_name', 'cases.received_device', 'cases.received_at'])
    .orderBy('cases.received_at', 'desc')
    .orderBy('cases.village')
    .limit(q.limit)
    .execute()
  if (!rows.length) return []
  let missing = db
    .selectFrom('cases')
    .innerJoin('case_blobs', 'case_blobs.case_id', 'cases.id')
    .leftJoin('blobs', 'blobs.hash', 'case_blobs.hash')
    .select((eb) => ['cases.received_device as device', 'cases.received_at as receivedAt', eb.fn.count<number>('case_blobs.hash').distinct().as('n')])
    .where(`cases.${q.column}`, '=', q.code)
    .where('cases.received_at', '>=', Math.min(...rows.map((r) => Number(r.receivedAt))))
    .where('blobs.hash', 'is', null)
  if (q.department) missing = missing.where('cases.department', '=', q.department)
  const counts = new Map((await missing.groupBy(['cases.received_device', 'cases.received_at']).execute()).map((r) => [`${r.device}|${Number(r.receivedAt)}`, Number(r.n)]))
  return rows.map((r) => ({
    village: r.village,
    agent: r.agent ?? '',
    agentName: r.agentName ?? '',
    device: r.device ?? '',
    receivedAt: Number(r.receivedAt),
    cases: Number(r.cases),
    pending: Number(r.pending),
    missingPhotos: counts.get(`${r.device}|${Number(r.receivedAt)}`) ?? 0,
  }))
}
