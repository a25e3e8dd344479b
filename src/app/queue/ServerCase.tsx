// A case this device does not hold (decided long ago, or a township case the county supervises),
// read from the server's case API and shown read-only. Offline it cannot be shown.
import type { ServerCase } from '../../sync/device-service'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { useOrgNames } from './shared'

const TONE: Record<string, string> = { on_track: 'ok', due_soon: 'soon', overdue: 'overdue' }

export function ServerCaseView({ id }: { id: string }) {
  const { value: c, loading } = useLoad(() => getDevice().serverCase(id), [id])
  const name = useOrgNames()
  const { value: items } = useLoad(() => getDevice().catalogue(), [])
  const item = items?.find((i) => i.code === c?.item.code)
  const fieldLabel = (k: string) => item?.fields.find((f) => f.id === k)?.label ?? k
  const materialName = (k: string) => item?.materials.find((m) => m.id === k)?.name ?? k
  if (loading) return <p class="loading">{t('common.loading')}</p>
  if (!c) return <p class="error" data-testid="server-case-missing">{t('server.unavailable')}</p>
  return (
    <article class="review" data-testid="server-case">
      <header class="card review-head">
        <p class="muted small">
          <a href="#/queue">{t('review.back')}</a>
        </p>
        <h1>
          {c.item.name} <span class="mono muted small">{c.number}</span>
        </h1>
        <p>
          <span class={`badge status-${c.status}`}>{tk(`status.${c.status}`)}</span>{' '}
          {c.due && (
            <span class={`tl tl-${TONE[c.timeLeft] ?? 'none'}`}>
              {t('queue.due', { date: c.due })}
              {c.estimated ? t('queue.estimated') : ''}
            </span>
          )}{' '}
          <span class="muted">· {name(c.village)}</span>
        </p>
        <p class="warn-box">{t('server.hint')}</p>
      </header>
      <section class="card">
        <h2>{t('case.form')}</h2>
        <dl class="form-view">
          {Object.entries(c.form).map(([k, v]) => (
            <div key={k}>
              <dt>{fieldLabel(k)}</dt>
              <dd class={c.maskedFields.includes(k) ? 'mono masked' : ''}>{v === null || v === '' ? '—' : String(v)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section class="card">
        <h2>{t('case.materials')}</h2>
        <ul class="material-view">
          {Object.entries(c.materials).map(([k, m]) => (
            <li key={k}>
              <span class="mname">{materialName(k)}</span>
              <span class={`badge mat-${m.status ?? 'missing'}`}>{tk(`material.${m.status ?? 'missing'}`)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>{t('case.timeline')}</h2>
        <ol class="timeline">
          {c.events.map((e, i) => (
            <li key={e.id ?? i}>
              {formatTime(e.at)} · <strong>{tk(`command.${e.type}`)}</strong> → {tk(`status.${e.status}`)} {e.role && <span class="muted">({tk(`role.${e.role}`)})</span>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}

export type { ServerCase }
