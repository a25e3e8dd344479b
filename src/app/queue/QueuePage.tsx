// The township and county queue (and the county's supervision list, 督办): what arrived from the
// villages, every open case in deadline order with its time-left colour, filters, the clerk
// holding each case, and keyboard shortcuts for people who work through hundreds a day.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import type { SessionInfo } from '../../sync/device-service'
import { emptyQueueQuery, type Batch, type QueueQuery, type QueueRow } from '../../store/queue'
import { VirtualList } from '../components/VirtualList'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'
import { ScanOpen } from './ScanOpen'
import { askAction, claimsKnown, deptName, refusalText, rememberOrder, ShortcutHelp, TimeLeftChip, useOrgNames, useShortcuts, useSyncStatus } from './shared'

const ROW = 64
const STATES = ['submitted', 'accepted', 'forwarded', 'returned', 'completed', 'delivered', 'refused', 'withdrawn', 'archived'] as const


export function QueuePage({ session, view }: { session: SessionInfo; view: 'queue' | 'supervision' }) {
  const [query, setQuery] = useState<QueueQuery>({ ...emptyQueueQuery, view })
  const [version, setVersion] = useState(0)
  const [selected, setSelected] = useState(0)
  const [help, setHelp] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const status = useSyncStatus()
  const name = useOrgNames()
  const q = { ...query, view }
  const key = JSON.stringify(q)
  useEffect(() => {
    const timer = setInterval(() => setVersion((v) => v + 1), 5000)
    return () => clearInterval(timer)
  }, [])
  useEffect(() => setVersion((v) => v + 1), [status?.lastSuccess])
  const { value: page } = useLoad(() => getDevice().queue(q, 0, 0), [key, version])
  const { value: facets } = useLoad(() => getDevice().queueFacets(), [version])
  const { value: batches } = useLoad(() => (view === 'queue' && session.role !== 'county' ? getDevice().batches() : Promise.resolve([] as Batch[])), [view, version])
  const { value: refusals } = useLoad(() => getDevice().refusals(), [version])
  // The county holds only the cases forwarded to it: township ones come from the server's list.
  const { value: remote } = useLoad(() => (view === 'supervision' ? getDevice().serverSupervision() : Promise.resolve(null)), [view, version])
  const { value: localIds } = useLoad(() => (view === 'supervision' ? getDevice().queueOrder(q) : Promise.resolve([] as string[])), [key, version])
  const remoteOnly = (remote ?? []).filter((r) => !(localIds ?? []).includes(r.id))
  const lookup = query.search.trim()
  const rows = useRef<QueueRow[]>([])
  const fetchRows = useCallback(
    async (offset: number, limit: number) => {
      const r = (await getDevice().queue(q, offset, limit)).rows
      rows.current.splice(offset, r.length, ...r)
      if (offset === 0) rememberOrder(await getDevice().queueOrder(q))
      return r
    },
    [key, version],
  )
  const total = page?.total ?? 0
  const firstSync = status !== null && !status.lastSuccess

  const set = (patch: Partial<QueueQuery>) => {
    setQuery({ ...query, ...patch })
    setSelected(0)
  }

  // j/k move, Enter opens, a accepts, r returns, f forwards, / searches, ? lists the keys.
  useShortcuts((e) => {
    const row = rows.current[selected]
    const scroll = (i: number) => {
      const box = document.querySelector<HTMLElement>('.queue .vlist')
      if (box && (i * ROW < box.scrollTop || (i + 1) * ROW > box.scrollTop + box.clientHeight)) box.scrollTop = Math.max(0, i * ROW - box.clientHeight / 2)
    }
    switch (e.key) {
      case 'j':
        setSelected((i) => (scroll(Math.min(total - 1, i + 1)), Math.min(total - 1, i + 1)))
        break
      case 'k':
        setSelected((i) => (scroll(Math.max(0, i - 1)), Math.max(0, i - 1)))
        break
      case 'Enter':
      case 'o':
        if (row) navigate(`/review/${row.id}`)
        break
      case 'a':
      case 'r':
      case 'f':
        if (!row) break
        askAction(e.key === 'a' ? 'accept' : e.key === 'r' ? 'return' : 'forward')
        navigate(`/review/${row.id}`)
        break
      case '/':
        document.querySelector<HTMLInputElement>('[data-testid=queue-search]')?.focus()
        break
      case '?':
        setHelp((h) => !h)
        break
      case 'Escape':
        setHelp(false)
        break
      default:
        return false
    }
    return true
  }, [selected, total])

  async function acceptBatch(b: Batch) {
    const n = await getDevice().bulkAccept(b.caseIds as CaseId[])
    setMessage(t('queue.batch.accepted', { count: n }))
    setVersion((v) => v + 1)
  }

  const select = (label: string, value: string, options: [string, string][], on: (v: string) => void, testid: string, any = t('queue.any')) => (
    <label>
      <span class="muted small">{label}</span>
      <select value={value} data-testid={testid} onChange={(e) => on(e.currentTarget.value)}>
        <option value="">{any}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  )

  const keys: [string, string][] = useMemo(
    () => [
      ['j / k', t('queue.keys.move')],
      ['Enter', t('queue.keys.open')],
      ['a', t('queue.keys.accept')],
      ['r', t('queue.keys.return')],
      ['f', t('queue.keys.forward')],
      ['/', t('queue.keys.search')],
      ['?', t('queue.keys.help')],
    ],
    [],
  )

  return (
    <section class="queue">
      <h1 class="page-title">
        {view === 'supervision' ? t('queue.supervision.title') : t('queue.title', { office: name(session.scope) })}
        <button type="button" class="link small" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          {t('queue.keys.hint')}
        </button>
      </h1>
      {view === 'supervision' && <p class="muted">{t('queue.supervision.hint')}</p>}
      <ScanOpen />
      {message && (
        <p class="success" role="status" onClick={() => setMessage(null)}>
          {message}
        </p>
      )}
      {(refusals ?? []).map((r) => (
        <p key={r.id} class="notice refused" role="alert" data-testid="command-refused">
          {t('queue.refused', { number: r.number, command: tk(`command.${r.type}`), reason: refusalText(r.code, r.message) })}
          <span class="muted small"> （{r.message}）</span> <a href={`#/review/${r.caseId}`}>{t('tasks.open')}</a>{' '}
          <button type="button" class="link" onClick={() => void getDevice().dismissRefusal(r.id).then(() => setVersion((v) => v + 1))}>
            {t('queue.dismiss')}
          </button>
        </p>
      ))}

      {firstSync && (
        <div class="card first-sync" role="status" data-testid="first-sync">
          <p>
            <strong>{t('queue.firstSync')}</strong>
          </p>
          <progress />
          <p class="muted">{t('queue.firstSync.received', { count: status?.progress?.pulled ?? 0 })}</p>
        </div>
      )}

      {!firstSync && batches && batches.length > 0 && (
        <details class="card batches" open={batches.some((b) => b.waiting > 0)}>
          <summary>
            <strong>{t('queue.batches')}</strong> <span class="muted">{t('queue.batches.hint', { count: batches.reduce((n, b) => n + b.waiting, 0) })}</span>
          </summary>
          <table class="grid">
            <thead>
              <tr>
                <th>{t('queue.col.village')}</th>
                <th>{t('queue.col.received')}</th>
                <th>{t('queue.col.cases')}</th>
                <th>{t('queue.col.waiting')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {batches.slice(0, 20).map((b) => (
                <tr key={b.key} data-testid="batch-row">
                  <td>
                    <button type="button" class="link" onClick={() => set({ village: b.village, state: 'submitted' })}>
                      {name(b.village)}
                    </button>
                    <span class="muted small mono"> {b.device.slice(-6)}</span>
                  </td>
                  <td>{formatTime(b.receivedAt)}</td>
                  <td>{b.cases}</td>
                  <td>{b.waiting}</td>
                  <td>
                    {session.role === 'township' && b.waiting > 0 && (
                      <button type="button" class="small-button" data-testid="batch-accept" onClick={() => void acceptBatch(b)}>
                        {t('queue.batch.acceptAll', { count: b.waiting })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}

      {!firstSync && (
        <>
          <div class="toolbar queue-filters">
            <input
              type="search"
              data-testid="queue-search"
              placeholder={t('queue.search')}
              aria-label={t('queue.search')}
              value={query.search}
              onInput={(e) => set({ search: e.currentTarget.value })}
            />
            {select(t('queue.f.department'), query.department, (facets?.departments ?? []).map((d) => [d, deptName(d)]), (v) => set({ department: v }), 'filter-department')}
            {view === 'queue' && select(t('queue.f.state'), query.state, STATES.map((s) => [s, tk(`status.${s}`)]), (v) => set({ state: v as QueueQuery['state'] }), 'filter-state', t('queue.state.work'))}
            {select(t('queue.f.village'), query.village, (facets?.villages ?? []).map((v) => [v, name(v)]), (v) => set({ village: v }), 'filter-village')}
            {select(t('queue.f.item'), query.item, (facets?.items ?? []).map((i) => [i.code, i.name]), (v) => set({ item: v }), 'filter-item')}
            {select(
              t('queue.f.assignee'),
              query.assignee,
              [
                ['me', t('queue.assignee.me')],
                ['none', t('queue.assignee.none')],
                ['others', t('queue.assignee.others')],
              ],
              (v) => set({ assignee: v as QueueQuery['assignee'] }),
              'filter-assignee',
            )}
            {view === 'queue' && select(
              t('queue.f.due'),
              query.due,
              [
                ['soon', t('queue.due.soon')],
                ['overdue', t('queue.due.overdue')],
              ],
              (v) => set({ due: v as QueueQuery['due'] }),
              'filter-due',
            )}
          </div>
          <p class="muted legend">
            {t('list.count', { count: total })} · <span class="tl tl-ok">{t('queue.tone.ok')}</span> <span class="tl tl-soon">{t('queue.tone.soon')}</span>{' '}
            <span class="tl tl-overdue">{t('queue.tone.overdue')}</span>
          </p>
          {total === 0 ? (
            <div class="empty" data-testid="queue-empty">
              <p>{view === 'supervision' ? t('queue.supervision.empty') : t('queue.empty')}</p>
              {/^[0-9A-Za-z-]{12,40}$/.test(lookup) && (
                <button type="button" class="secondary" data-testid="server-lookup" onClick={() => navigate(`/review/${lookup}`)}>
                  {t('server.lookup', { ref: lookup })}
                </button>
              )}
            </div>
          ) : (
            <VirtualList<QueueRow>
              total={total}
              rowHeight={ROW}
              queryKey={`${key}#${version}`}
              fetch={fetchRows}
              label={t('queue.title', { office: name(session.scope) })}
              render={(row, i) => (
                <a
                  class={`queue-row tone-${row.left.tone}${i === selected ? ' selected' : ''}`}
                  data-testid="queue-row"
                  data-status={row.status}
                  href={`#/review/${row.id}`}
                  onFocus={() => setSelected(i)}
                >
                  <span class="when">
                    <TimeLeftChip left={row.left} />
                  </span>
                  <span class="main">
                    <span>
                      <strong>{row.applicant || '—'}</strong> <span class="item">{row.itemName}</span>
                    </span>
                    <span class="muted small">
                      <span class="mono">{row.number}</span> · {name(row.village)} · {deptName(row.department)}
                      {row.submission > 1 && <> · {t('queue.resubmitted', { n: row.submission })}</>}
                    </span>
                  </span>
                  <span class="side">
                    <span class={`badge status-${row.status}`}>{tk(`status.${row.status}`)}</span>
                    {row.suspended && <span class="badge">{t('queue.suspended')}</span>}
                    {row.pendingCommand && <span class="badge pending">{t('queue.pending', { command: tk(`command.${row.pendingCommand}`) })}</span>}
                    {row.holder?.live ? (
                      <span class={`holder${row.holder.mine ? ' mine' : ''}`} data-testid="row-holder">
                        {row.holder.mine ? t('queue.holder.me') : t('queue.holder', { name: row.holder.name })}
                      </span>
                    ) : (
                      claimsKnown && <span class="muted small">{t('queue.holder.none')}</span>
                    )}
                    {row.problem && <span class="error small">{t('queue.problem')}</span>}
                  </span>
                </a>
              )}
            />
          )}
        </>
      )}
      {view === 'supervision' && remoteOnly.length > 0 && (
        <section class="card" data-testid="server-supervision">
          <h2>{t('server.supervision')}</h2>
          <ul class="plain-rows">
            {remoteOnly.map((r) => (
              <li key={r.id}>
                <a class={`queue-row tone-${r.timeLeft === 'overdue' ? 'overdue' : 'soon'}`} href={`#/review/${r.id}`} data-testid="server-row">
                  <span class="when">
                    <span class={`tl tl-${r.timeLeft === 'overdue' ? 'overdue' : 'soon'}`}>
                      {r.due ? t('queue.due', { date: r.due }) : ''}
                      {r.estimated ? t('queue.estimated') : ''}
                    </span>
                  </span>
                  <span class="main">
                    <span>
                      <strong>{r.applicant || '—'}</strong> <span class="item">{r.itemName}</span>
                    </span>
                    <span class="muted small">
                      <span class="mono">{r.number}</span> · {name(r.village)}
                    </span>
                  </span>
                  <span class="side">
                    <span class={`badge status-${r.status}`}>{tk(`status.${r.status}`)}</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {help && <ShortcutHelp keys={keys} onClose={() => setHelp(false)} />}
    </section>
  )
}
