// The service figures (point 8 of the queue work) for township staff, county staff and
// administrators over a chosen period, per county, township, village, department or item, plus
// the CSV exports of cases and of figures. Personal numbers never reach a CSV: lists carry the
// masked summary only.

import {
  addSums,
  buildCsv,
  DaibanError,
  dayToEpochDays,
  emptySums,
  ErrorCode,
  figuresOf,
  isWithin,
  MetricTargets,
  weeklySeries,
  type Actor,
  type MetricFigures,
} from '../../src/core'
import type { Storage } from '../storage'
import { allQueueRows, type QueueClock } from './queue-service'
import type { MetricsParams, QueueParams } from './schemas'

export const MAX_METRIC_DAYS = 3 * 366
export const MAX_EXPORT_ROWS = 50_000

function metricScope(actor: Actor, p: MetricsParams) {
  if (actor.role === 'agent') throw new DaibanError(ErrorCode.forbidden, 'service metrics are for township and county staff and administrators')
  const department = actor.role === 'admin' ? (p.department ?? null) : (actor.department ?? p.department ?? null)
  if (actor.department && p.department && p.department !== actor.department) throw new DaibanError(ErrorCode.outOfScope, 'query.department: you see your own department only')
  if (p.township) {
    if (!isWithin(p.township, actor.scope)) throw new DaibanError(ErrorCode.outOfScope, 'query.township: outside your scope')
    return { column: 'township' as const, code: p.township, department }
  }
  return { column: actor.role === 'township' ? ('township' as const) : ('county' as const), code: actor.scope, department }
}

export async function serviceMetrics(storage: Storage, actor: Actor, p: MetricsParams) {
  if (p.to < p.from) throw new DaibanError(ErrorCode.badRequest, 'query.to: must not be before query.from')
  if (dayToEpochDays(p.to) - dayToEpochDays(p.from) > MAX_METRIC_DAYS) throw new DaibanError(ErrorCode.badRequest, `query.to: a period is at most ${MAX_METRIC_DAYS} days`)
  const by = p.by ?? 'township'
  const scope = metricScope(actor, p)
  const { groups, days } = await storage.metricSums({ ...scope, from: p.from, to: p.to, groupBy: by })
  const names = await groupNames(storage, by)
  const total = groups.reduce((acc, g) => addSums(acc, g.sums), emptySums())
  return {
    ok: true as const,
    from: p.from,
    to: p.to,
    by,
    targets: { ...MetricTargets },
    total: figuresOf(total),
    groups: groups.map((g) => ({ key: g.key, name: names.get(g.key) ?? g.key, figures: figuresOf(g.sums) })),
    weekly: weeklySeries(days, p.from, p.to),
  }
}

async function groupNames(storage: Storage, by: MetricsParams['by']): Promise<Map<string, string>> {
  if (by === 'item') return new Map((await storage.listItems()).map((i) => [i.code as string, i.name]))
  if (by === 'department') return new Map()
  return new Map((await storage.listOrgUnits()).map((u) => [u.code as string, u.name]))
}

const pct = (v: number | null) => (v === null ? '' : (v * 100).toFixed(2))

const METRIC_HEADER = ['分组', '名称', '受理数(收件)', '受理', '办结', '按时办结率%', '即办件率%', '平均办结工作日', '补正率%', '平均跑动次数', '零跑动占比%', '非常满意', '满意', '基本满意', '不满意', '非常不满意', '满意率%']

function metricLine(key: string, name: string, f: MetricFigures) {
  return [key, name, f.takenIn, f.accepted, f.completed, pct(f.onTimeRate), pct(f.onTheSpotRate), f.averageWorkingDays, pct(f.returnRate), f.averageTrips, pct(f.zeroTripShare), f.ratings.veryGood, f.ratings.good, f.ratings.fair, f.ratings.bad, f.ratings.veryBad, pct(f.satisfactionRate)]
}

export async function metricsCsv(storage: Storage, actor: Actor, p: MetricsParams): Promise<string> {
  const m = await serviceMetrics(storage, actor, p)
  const lines = m.groups.map((g) => metricLine(g.key, g.name, g.figures))
  lines.push(metricLine('合计', `${m.from}—${m.to}`, m.total))
  lines.push(['目标', '', '', '', '', pct(MetricTargets.onTimeRate), pct(MetricTargets.onTheSpotRate), '', '', '', '', '', '', '', '', '', pct(MetricTargets.satisfactionRate)])
  return buildCsv(METRIC_HEADER, lines)
}

const CASE_HEADER = ['案件编号', '村(社区)', '事项', '部门', '状态', '申请人', '身份证号', '收件日期', '期限', '期限类型', '预计', '剩余', '经办人']

export async function casesCsv(storage: Storage, actor: Actor, p: QueueParams, clock: QueueClock): Promise<string> {
  const rows = await allQueueRows(storage, actor, p, clock, MAX_EXPORT_ROWS)
  const villages = new Map((await storage.listOrgUnits()).map((u) => [u.code as string, u.name]))
  return buildCsv(
    CASE_HEADER,
    rows.map((r) => [r.number, villages.get(r.village) ?? r.village, r.itemName, r.department, r.status, r.applicant, r.applicantId, r.submittedOn, r.due, r.dueKind, r.estimated ? '预计' : '', r.timeLeft, r.assignee?.name ?? '']),
  )
}
