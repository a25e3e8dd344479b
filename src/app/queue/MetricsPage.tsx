// Service figures for township, county and administrator: the article's measures beside its
// targets, a small chart of weekly intake and on-time rate (inline SVG), CSV exports, and the
// follow-ups that bad ratings (不满意 / 非常不满意) open until the township answers them.
import { useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import { addDays, todayInChina } from '../../core/day'
import type { SessionInfo } from '../../sync/device-service'
import { MetricTargets as Targets, type WeekPoint } from '../../core/service-metrics'
import { ratingCounts, type Figures, type GroupBy } from '../../store/service-metrics'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { t, tk, type MessageKey } from '../i18n'
import { deptName, useOrgNames, useSyncStatus } from './shared'

const PERIODS = { d30: 30, d90: 90, d365: 365 } as const
type Period = keyof typeof PERIODS

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
const num = (x: number | null, d = 1) => (x === null ? '—' : x.toFixed(d))

function Chart({ weeks }: { weeks: WeekPoint[] }) {
  const W = 640
  const H = 180
  const pad = 28
  const max = Math.max(1, ...weeks.map((w) => w.takenIn))
  const bw = (W - pad * 2) / Math.max(1, weeks.length)
  const y = (v: number) => H - pad - (v / max) * (H - pad * 2)
  const yr = (r: number) => H - pad - r * (H - pad * 2)
  const line = weeks
    .map((w, i) => (w.onTimeRate === null ? null : `${pad + bw * i + bw / 2},${yr(w.onTimeRate)}`))
    .filter(Boolean)
    .join(' ')
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('metrics.chart')} data-testid="metrics-chart">
      <line x1={pad} y1={H - pad} x2={W - pad} y2={H - pad} stroke="#8c959f" />
      <text x={pad} y={14} class="axis">
        {t('metrics.chart.intake', { max })}
      </text>
      <text x={W - pad} y={14} class="axis" text-anchor="end">
        {t('metrics.chart.onTime')}
      </text>
      {weeks.map((w, i) => (
        <g key={w.week}>
          <rect x={pad + bw * i + 2} y={y(w.takenIn)} width={Math.max(1, bw - 4)} height={H - pad - y(w.takenIn)} fill="#9ecbff">
            <title>{t('metrics.chart.week', { monday: w.week, intake: w.takenIn, onTime: pct(w.onTimeRate) })}</title>
          </rect>
          {(i % Math.ceil(weeks.length / 8) === 0 || i === weeks.length - 1) && (
            <text x={pad + bw * i + bw / 2} y={H - 8} class="axis" text-anchor="middle">
              {w.week.slice(5)}
            </text>
          )}
        </g>
      ))}
      <line x1={pad} y1={yr(Targets.onTimeRate)} x2={W - pad} y2={yr(Targets.onTimeRate)} stroke="#1a7f37" stroke-dasharray="4 4" />
      {line && <polyline points={line} fill="none" stroke="#c0392b" stroke-width="2" />}
      {weeks.map((w, i) => w.onTimeRate !== null && <circle key={i} cx={pad + bw * i + bw / 2} cy={yr(w.onTimeRate)} r="3" fill="#c0392b" />)}
    </svg>
  )
}

function Row({ f, label }: { f: Figures; label: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{f.takenIn}</td>
      <td>{f.accepted}</td>
      <td>{f.completed}</td>
      <td class={f.meetsTargets.onTime === false ? 'below' : ''}>{pct(f.onTimeRate)}</td>
      <td class={f.meetsTargets.onTheSpot === false ? 'below' : ''}>{pct(f.onTheSpotRate)}</td>
      <td>{num(f.averageWorkingDays)}</td>
      <td>{pct(f.returnRate)}</td>
      <td>{num(f.averageTrips, 2)}</td>
      <td>{pct(f.zeroTripShare)}</td>
      <td class="ratings">{ratingCounts(f).join(' / ')}</td>
      <td class={f.meetsTargets.satisfaction === false ? 'below' : ''}>{pct(f.satisfactionRate)}</td>
    </tr>
  )
}

const HEAD: MessageKey[] = ['metrics.col.unit', 'metrics.col.takenIn', 'metrics.col.accepted', 'metrics.col.completed', 'metrics.col.onTime', 'metrics.col.instant', 'metrics.col.avgDays', 'metrics.col.returnRate', 'metrics.col.avgTrips', 'metrics.col.zeroTrips', 'metrics.col.ratings', 'metrics.col.satisfied']
const CASE_HEAD: MessageKey[] = ['case.number', 'case.item', 'queue.col.village', 'metrics.csv.status', 'resident.name', 'resident.idNumber', 'queue.col.received', 'metrics.csv.deadline', 'metrics.csv.completed', 'metrics.csv.onTime', 'metrics.csv.rating']

export function MetricsPage({ session }: { session: SessionInfo }) {
  const [period, setPeriod] = useState<Period>('d30')
  const [groupBy, setGroupBy] = useState<GroupBy>('village')
  const [version, setVersion] = useState(0)
  const [answers, setAnswers] = useState<Record<string, string>>({})
  const name = useOrgNames()
  const sync = useSyncStatus()
  const to = todayInChina()
  const from = addDays(to, -PERIODS[period] + 1)
  const { value: facets } = useLoad(() => getDevice().queueFacets(), [version])
  const labels: Record<string, string> = {}
  for (const v of facets?.villages ?? []) labels[v] = name(v)
  for (const d of facets?.departments ?? []) labels[d] = deptName(d)
  for (const i of facets?.items ?? []) labels[i.code] = i.name
  for (const s of ['submitted', 'accepted', 'returned', 'forwarded', 'completed', 'delivered', 'archived', 'refused', 'withdrawn', 'draft']) labels[`status.${s}`] = tk(`status.${s}`)
  labels[''] = t('metrics.total')
  const { value: m } = useLoad(() => getDevice().metrics(from, to, groupBy, labels), [from, groupBy, version, facets ? 1 : 0, sync?.lastSuccess])

  async function download(kind: 'cases' | 'metrics') {
    const header = (kind === 'cases' ? CASE_HEAD : HEAD).map((k) => t(k))
    const text = await getDevice().metricsCsv(kind, from, to, groupBy, header, labels)
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `daiban-${kind}-${session.scope}-${from}-${to}.csv`
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }

  async function answer(caseId: string) {
    const text = answers[caseId]?.trim()
    if (!text) return
    await getDevice().answerFollowUp(caseId as CaseId, text)
    setVersion((v) => v + 1)
  }

  return (
    <section class="metrics" data-testid="metrics">
      <h1 class="page-title">{t('metrics.title', { office: name(session.scope) })}</h1>
      <div class="toolbar">
        <div class="segmented" role="radiogroup" aria-label={t('metrics.period')}>
          {(Object.keys(PERIODS) as Period[]).map((p) => (
            <label key={p} class={period === p ? 'on' : ''}>
              <input type="radio" name="period" checked={period === p} onChange={() => setPeriod(p)} />
              {tk(`metrics.period.${p}`)}
            </label>
          ))}
        </div>
        <label>
          <span class="muted small">{t('metrics.groupBy')}</span>
          <select value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}>
            <option value="village">{t('queue.col.village')}</option>
            <option value="department">{t('queue.f.department')}</option>
            <option value="item">{t('queue.f.item')}</option>
          </select>
        </label>
        <button type="button" class="secondary" data-testid="csv-cases" onClick={() => void download('cases')}>
          {t('metrics.csv.cases')}
        </button>
        <button type="button" class="secondary" data-testid="csv-metrics" onClick={() => void download('metrics')}>
          {t('metrics.csv.metrics')}
        </button>
      </div>
      <p class="muted small">{t('metrics.source', { from, to })}</p>

      {m && m.followUps.length > 0 && (
        <section class="card followups" data-testid="follow-ups">
          <h2>{t('metrics.followUps', { count: m.followUps.length })}</h2>
          <ul>
            {m.followUps.map((f) => (
              <li key={f.caseId} data-testid="follow-up">
                <p>
                  <span class={`badge rating-bad`}>{tk(`rating.${f.rating}`)}</span> <a href={`#/review/${f.caseId}`}>{f.itemName}</a> <span class="mono muted small">{f.number}</span> · {name(f.village)}
                  {f.comment && <> · “{f.comment}”</>}
                  <span class="muted small"> · {formatTime(f.ratedAt)} · </span>
                  <span class={`small${f.due && f.due < to ? ' overdue-text' : ''}`} data-testid="follow-up-due">
                    {t('metrics.followUp.due', { date: f.due ?? '—' })}
                    {f.estimated && <span class="estimated"> {t('metrics.followUp.estimated')}</span>}
                  </span>
                </p>
                {f.answerPending && (
                  <p class="muted small" data-testid="follow-up-pending">
                    {t('metrics.followUp.pending')}
                  </p>
                )}
                {session.role === 'township' && !f.answerPending && (
                  <form
                    class="inline"
                    onSubmit={(e) => {
                      e.preventDefault()
                      void answer(f.caseId)
                    }}
                  >
                    <input placeholder={t('metrics.followUp.placeholder')} aria-label={t('metrics.followUp.placeholder')} value={answers[f.caseId] ?? ''} onInput={(e) => setAnswers({ ...answers, [f.caseId]: e.currentTarget.value })} />
                    <button type="submit">{t('metrics.followUp.answer')}</button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {m === undefined ? (
        <p class="loading">{t('common.loading')}</p>
      ) : (
        <>
          <div class="kpis">
            {[
              ['metrics.col.onTime', m.total.onTimeRate, Targets.onTimeRate],
              ['metrics.col.instant', m.total.onTheSpotRate, Targets.onTheSpotRate],
              ['metrics.col.satisfied', m.total.satisfactionRate, Targets.satisfactionRate],
            ].map(([k, v, target]) => (
              <div key={k as string} class={`card kpi ${v === null ? '' : (v as number) < (target as number) ? 'below' : 'met'}`} data-testid="kpi">
                <span class="muted small">{t(k as MessageKey)}</span>
                <strong>{pct(v as number | null)}</strong>
                <span class="muted small">{t('metrics.target', { target: pct(target as number) })}</span>
              </div>
            ))}
            <div class="card kpi" data-testid="kpi-ratings">
              <span class="muted small">{t('metrics.kpi.ratings')}</span>
              <strong class="ratings-line">
                {ratingCounts(m.total).map((n, i) => (
                  <span key={i} title={tk(`rating.${5 - i}`)} class={i >= 3 && n > 0 ? 'bad' : ''}>
                    {tk(`rating.${5 - i}`)} {n}
                  </span>
                ))}
              </strong>
            </div>
          </div>
          <section class="card">
            <h2>{t('metrics.chart')}</h2>
            <Chart weeks={m.weeks} />
            <p class="muted small">{t('metrics.chart.legend')}</p>
          </section>
          <section class="card table-wrap">
            <table class="grid figures" data-testid="metrics-table">
              <thead>
                <tr>
                  {HEAD.map((k) => (
                    <th key={k}>{t(k)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <Row f={m.total} label={t('metrics.total')} />
                {m.groups.map((g) => (
                  <Row key={g.key} f={g} label={g.label || '—'} />
                ))}
                <tr class="targets">
                  <th scope="row">{t('metrics.targets')}</th>
                  <td colSpan={3} />
                  <td>≥ {pct(Targets.onTimeRate)}</td>
                  <td>≥ {pct(Targets.onTheSpotRate)}</td>
                  <td colSpan={5} />
                  <td>≥ {pct(Targets.satisfactionRate)}</td>
                </tr>
              </tbody>
            </table>
          </section>
        </>
      )}
    </section>
  )
}
