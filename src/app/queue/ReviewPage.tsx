// A clerk's review of one case: form (personal numbers masked until revealed), materials with
// their photos, what the item's rules find wrong, notes and the full history, and the decisions
// the case allows now. j/k move through the queue, a/r/f open a decision, ? lists the keys.
import { useEffect, useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import type { SessionInfo } from '../../sync/device-service'
import { timeLeft } from '../../store/queue'
import { problemText } from '../components/FieldInput'
import { CaseNotes } from '../components/CaseNotes'
import { CaseTimeline } from '../components/CaseTimeline'
import { CorrectionList } from '../components/CorrectionList'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { PaperButtons } from '../components/PaperButtons'
import { t, tk } from '../i18n'
import { navigate } from '../router'
import { allowedDecisions, claimsKnown, DecisionPanel, type Decision } from './Decisions'
import { PhotoThumb, PhotoViewer } from './Photos'
import { RatingCard } from './RatingCard'
import { ServerCaseView } from './ServerCase'
import { deptName, neighbour, refusalText, ShortcutHelp, takeAskedAction, TimeLeftChip, useOrgNames, useShortcuts, useSyncStatus } from './shared'

const ACTIONS: Decision[] = ['accept', 'return', 'refuse', 'forward', 'complete', 'suspend', 'resume']

function detailText(type: string, d: Record<string, unknown> | undefined): string {
  if (!d) return ''
  if (type === 'return' && Array.isArray(d.corrections)) return (d.corrections as { label: string; reason: string }[]).map((c) => `${c.label}：${c.reason}`).join('；')
  if (type === 'refuse') return `${String(d.reason ?? '')}；${String(d.appeal ?? '')}`
  if (type === 'complete') return `${tk(`review.complete.${String(d.decision)}`)} ${String(d.reason ?? '')}`
  if (type === 'deliver') return `${tk(`delivery.${String(d.method)}`)}${typeof d.trips === 'number' ? ` · ${t('history.trips', { count: d.trips })}` : ''}`
  if (type === 'rate') return `${tk(`rating.${String(d.rating)}`)}${d.comment ? ` · ${String(d.comment)}` : ''}`
  if (type === 'suspend') return tk(`procedure.${String(d.procedure)}`)
  if (type === 'voidRating') return String(d.reason ?? '')
  if (type === 'answerFollowUp') return String(d.answer ?? '')
  return ''
}

export function ReviewPage({ session, id }: { session: SessionInfo; id: string }) {
  const caseId = id as CaseId
  const { value: view, reload } = useLoad(() => getDevice().getCase(caseId), [caseId])
  const [action, setAction] = useState<Decision | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [revealed, setRevealed] = useState<Record<string, unknown> | null>(null)
  const [audit, setAudit] = useState<'server' | 'note'>('note')
  const [photo, setPhoto] = useState<{ hash: string; alt: string; materialId: string } | null>(null)
  const [help, setHelp] = useState(false)
  const name = useOrgNames()
  const allowed = view ? allowedDecisions(view, session) : new Set<string>()
  const waiting = (view?.pendingCommands.length ?? 0) > 0
  const can = (a: string) => allowed.has(a) && !waiting

  useEffect(() => {
    setRevealed(null)
    setMessage(null)
    setAction(null)
  }, [caseId])
  useEffect(() => {
    const asked = takeAskedAction()
    if (asked && view && can(asked)) setAction(asked as Decision)
  }, [view?.id])
  // Answers to this clerk's decisions and decisions of others arrive by sync: look again after each.
  const sync = useSyncStatus()
  useEffect(() => {
    if (sync && !sync.running) reload()
  }, [sync?.lastSuccess, sync?.running])

  useShortcuts((e) => {
    if (photo) return false
    const go = (step: -1 | 1) => {
      const next = neighbour(caseId, step)
      if (next) navigate(`/review/${next}`)
    }
    const open = (a: Decision) => can(a) && setAction(a)
    switch (e.key) {
      case 'j':
        go(1)
        break
      case 'k':
        go(-1)
        break
      case 'a':
        open('accept')
        break
      case 'r':
        open('return')
        break
      case 'f':
        open('forward')
        break
      case 'c':
        open('complete')
        break
      case 'u':
        navigate('/queue')
        break
      case '?':
        setHelp((h) => !h)
        break
      case 'Escape':
        setAction(null)
        setHelp(false)
        break
      default:
        return false
    }
    return true
  }, [caseId, view, photo])

  if (view === undefined) return <p class="loading">{t('common.loading')}</p>
  if (view === null) return <ServerCaseView id={id} />
  const state = view.workflow.state
  const status = state?.status ?? 'draft'
  const row = view.row
  const holder = row.queue?.holder
  const holderLive = holder && (!holder.until || Date.parse(holder.until) > Date.now())
  const mine = holder?.userId === session.userId
  const form = revealed ? { ...view.form, ...revealed } : view.form
  const today = new Date().toISOString().slice(0, 10)
  const left = timeLeft(row, today)
  const errors = view.problems.filter((p) => p.severity === 'error')
  const warnings = view.problems.filter((p) => p.severity === 'warning')
  const labelOf = (path: string) =>
    view.item?.fields.find((f) => `form.${f.id}` === path)?.label ?? view.item?.materials.find((m) => `materials.${m.id}` === path)?.name ?? path

  async function reveal() {
    const fields = view!.masked.map(labelOf).join('、')
    const r = await getDevice().reveal(caseId, t('review.reveal.reason'), t('review.reveal.note', { fields }))
    setRevealed(r.values)
    setAudit(r.audited)
    reload()
  }
  const claim = (type: 'claim' | 'release', takeOver = false) =>
    void getDevice()
      .command(caseId, (type === 'claim' ? { type, ...(takeOver ? { takeOver: true } : {}) } : { type }) as never)
      .then(reload)

  return (
    <article class="review" data-testid="case-review" data-status={status}>
      <header class="card review-head">
        <p class="muted small">
          <a href={session.role === 'agent' ? '#/tasks' : '#/queue'}>{t('review.back')}</a> · {t('review.keys')}
        </p>
        <h1>
          {view.item?.name ?? row.itemName} <span class="mono muted small">{row.number}</span>
        </h1>
        <p>
          <span class={`badge status-${status}`} data-testid="case-status">
            {tk(`status.${status}`)}
          </span>{' '}
          <TimeLeftChip left={left} /> {state?.clock && <span class="muted">{t('case.deadline', { date: state.clock.deadline })}{state.clock.estimated ? t('queue.estimated') : ''}</span>}{' '}
          <span class="muted">
            · {name(row.village)} · {deptName(row.queue?.department ?? '')} · {state?.rules.level === 'county' ? t('item.level.county') : t('item.level.township')}
            {(state?.submission ?? 0) > 1 && <> · {t('queue.resubmitted', { n: state!.submission })}</>}
          </span>
        </p>
        {left.clock === 'acceptance' && left.tone !== 'ok' && <p class="warn-box">{left.tone === 'overdue' ? t('review.acceptance.overdue') : t('review.acceptance.soon', { days: Math.max(0, left.days ?? 0) })}</p>}
        {state?.suspendedFor && <p class="warn-box">{t('review.suspended', { procedure: tk(`procedure.${state.suspendedFor}`) })}</p>}
        {waiting && (
          <p class="pending" data-testid="case-pending">
            {t('case.pendingSync', { commands: view.pendingCommands.map((c) => tk(`command.${c}`)).join('、') })}
          </p>
        )}
        {row.problem && (
          <p class="error" role="alert" data-testid="case-problem">
            {t('review.refusedByServer', { message: refusalText(row.problem.split(':')[0]!, row.problem) })} <span class="muted small">（{row.problem}）</span>
          </p>
        )}
        {message && (
          <p class="success" role="status" data-testid="decision-done">
            {message}{' '}
            {neighbour(caseId, 1) && (
              <button type="button" class="link" onClick={() => navigate(`/review/${neighbour(caseId, 1)}`)}>
                {t('review.next')}
              </button>
            )}
          </p>
        )}
        <PaperButtons view={view} onPrinted={reload} />
      </header>

      <div class="review-body">
        <div class="review-main">
          <section class="card">
            <h2>
              {t('case.form')}{' '}
              {view.masked.length > 0 && !revealed && (
                <button type="button" class="small-button secondary" data-testid="reveal" onClick={() => void reveal()}>
                  {t('review.reveal')}
                </button>
              )}
            </h2>
            {revealed && <p class="muted small">{audit === 'server' ? t('review.reveal.audited') : t('review.reveal.recorded')}</p>}
            <dl class="form-view">
              {(view.item?.fields ?? []).map((f) => (
                <div key={f.id} class={view.problems.some((p) => p.path === `form.${f.id}`) ? 'bad' : ''}>
                  <dt>{f.label}</dt>
                  <dd data-testid={`value-${f.id}`} class={view.masked.includes(f.id) && !revealed ? 'mono masked' : ''}>
                    {f.options?.find((o) => o.value === form[f.id])?.label ?? (form[f.id] === null || form[f.id] === undefined || form[f.id] === '' ? '—' : String(form[f.id]))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>

          <section class="card">
            <h2>{t('case.materials')}</h2>
            <ul class="material-view">
              {(view.item?.materials ?? []).map((m) => {
                const st = view.materials[m.id]
                const hashes = [...new Set([...(st?.photos ?? []), ...view.photos.filter((p) => p.materialId === m.id).map((p) => p.hash)])]
                return (
                  <li key={m.id} class={view.problems.some((p) => p.path === `materials.${m.id}`) ? 'bad' : ''}>
                    <span class="mname">
                      {m.name}
                      <span class="muted small">
                        {' '}
                        {tk(`material.${m.form}`)} · {m.required ? t('material.required') : t('material.optional')}
                      </span>
                    </span>
                    <span class={`badge mat-${st?.status ?? 'missing'}`}>{tk(`material.${st?.status ?? 'missing'}`)}</span>
                    <span class="muted small">{t('review.copies', { n: st?.copies ?? 0 })}</span>
                    <span class="thumbs">
                      {hashes.map((h) => (
                        <PhotoThumb key={h} hash={h} alt={m.name} caseId={caseId} materialId={m.id} onOpen={() => setPhoto({ hash: h, alt: m.name, materialId: m.id })} />
                      ))}
                    </span>
                  </li>
                )
              })}
            </ul>
          </section>

          {(errors.length > 0 || warnings.length > 0) && (
            <section class="card problems" data-testid="review-problems">
              <h2>{t('review.problems', { count: view.problems.length })}</h2>
              <ul>
                {view.problems.map((p, i) => (
                  <li key={i} class={p.severity}>
                    {t('case.problemAt', { where: labelOf(p.path), problem: problemText(p) })}
                  </li>
                ))}
              </ul>
            </section>
          )}

          {state && state.corrections.length > 0 && status === 'returned' && (
            <section class="card corrections">
              <h2>{t('review.correctionsSent')}</h2>
              <CorrectionList corrections={state.corrections} />
            </section>
          )}

          {state?.rating && <RatingCard caseId={caseId} state={state} isAdmin={session.role === 'admin'} pending={waiting} onDone={(m) => { setMessage(m); reload() }} />}

          <CaseNotes caseId={caseId} notes={view.notes} onAdded={reload} />

          <CaseTimeline
            view={view}
            createdBy={
              <>
                {' '}
                <span class="muted">({t('role.agent')})</span>
              </>
            }
            event={(e) => {
              const voided = e.type === 'rate' ? (state?.rating?.voided ?? null) : null
              return (
                <li key={e.id} data-testid={`event-${e.type}`}>
                  {formatTime(e.at)} · <strong>{tk(`command.${e.type}`)}</strong> → {tk(`status.${e.status}`)} <span class="muted">({t(`role.${e.role}`)})</span>
                  {detailText(e.type, e.detail) && <div class="muted small">{voided ? <s>{detailText(e.type, e.detail)}</s> : detailText(e.type, e.detail)}{voided && t('history.voided', { reason: voided.reason })}</div>}
                </li>
              )
            }}
          />
        </div>

        <aside class="review-side">
          {session.role !== 'agent' && (
            <section class="card actions-card">
              <h2>{t('review.decide')}</h2>
              {claimsKnown && (
                <p class="claim">
                  {holderLive ? (mine ? t('queue.holder.me') : t('queue.holder', { name: holder!.name })) : t('queue.holder.none')}{' '}
                  {!holderLive && <button type="button" class="small-button" data-testid="action-claim" onClick={() => claim('claim')}>{t('review.claim')}</button>}
                  {holderLive && mine && <button type="button" class="small-button secondary" data-testid="action-release" onClick={() => claim('release')}>{t('review.release')}</button>}
                  {holderLive && !mine && <button type="button" class="small-button secondary" data-testid="action-claim" onClick={() => claim('claim', true)}>{t('review.takeOver')}</button>}
                </p>
              )}
              <div class="action-buttons">
                {ACTIONS.filter((a) => allowed.has(a)).map((a) => (
                  <button key={a} type="button" class={action === a ? 'active' : a === 'refuse' ? 'secondary' : ''} data-testid={`action-${a}`} disabled={waiting} onClick={() => setAction(a)}>
                    {tk(`command.${a}`)}
                    {a === 'accept' ? ' (a)' : a === 'return' ? ' (r)' : a === 'forward' ? ' (f)' : a === 'complete' ? ' (c)' : ''}
                  </button>
                ))}
              </div>
              {allowed.size === 0 && !waiting && <p class="muted">{t('review.nothingToDecide')}</p>}
            </section>
          )}
          {action && (
            <DecisionPanel
              key={action}
              view={view}
              action={action}
              onCancel={() => setAction(null)}
              onDone={(m) => {
                setAction(null)
                setMessage(m)
                reload()
              }}
            />
          )}
        </aside>
      </div>
      {photo && <PhotoViewer hash={photo.hash} alt={photo.alt} caseId={caseId} materialId={photo.materialId} onClose={() => setPhoto(null)} />}
      {help && (
        <ShortcutHelp
          keys={[
            ['j / k', t('review.keys.next')],
            ['a', t('queue.keys.accept')],
            ['r', t('queue.keys.return')],
            ['f', t('queue.keys.forward')],
            ['c', t('review.keys.complete')],
            ['u', t('review.keys.up')],
            ['Esc', t('review.keys.cancel')],
            ['?', t('queue.keys.help')],
          ]}
          onClose={() => setHelp(false)}
        />
      )}
    </article>
  )
}
