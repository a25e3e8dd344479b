import { useEffect, useState } from 'preact/hooks'
import type { SyncStatus } from '../../sync/device-service'
import { computeDerived } from '../../core/derived'
import { validateCase, type CaseProblem, type MaterialState } from '../../core/case-validation'
import type { CaseId } from '../../core/brand'
import { FieldInput, problemText } from '../components/FieldInput'
import { MaterialRow } from '../components/MaterialRow'
import { CaseNotes } from '../components/CaseNotes'
import { CaseTimeline } from '../components/CaseTimeline'
import { CorrectionList } from '../components/CorrectionList'
import { TakeInConfirmation } from '../components/TakeInConfirmation'
import { TakeInProblems } from '../components/TakeInProblems'
import { DiscardDraft } from '../components/DiscardDraft'
import { shownStatus } from '../case-status'
import { itemName } from '../catalogue-labels'
import { Comlink, getDevice } from '../device'
import { PaperButtons } from '../components/PaperButtons'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'
import type { ComponentChildren } from 'preact'

/** `takenInActions`: shown beside the take-in confirmation instead of the paper buttons (tests replace them). */
export function CaseDetail({ id, takenInActions }: { id: string; takenInActions?: (caseId: CaseId) => ComponentChildren }) {
  const caseId = id as CaseId
  const { value: view, reload } = useLoad(() => getDevice().getCase(caseId), [caseId])
  // Values as typed on this page, so problems and derived fields follow every keystroke.
  const [typed, setTyped] = useState<Record<string, string>>({})
  const [attempted, setAttempted] = useState(false)
  const [takenIn, setTakenIn] = useState(false)
  // After each sync the case is read again: the server's answer turns 已收件·待报送 into 已报乡镇.
  useEffect(() => {
    let watch: number | null = null
    let closed = false
    let last: string | null | undefined
    void getDevice()
      .watch(
        Comlink.proxy((s: SyncStatus) => {
          if (last !== undefined && s.lastSuccess !== last) reload()
          last = s.lastSuccess
        }),
      )
      .then((id) => (closed ? void getDevice().unsubscribe(id) : (watch = id)))
    return () => {
      closed = true
      if (watch !== null) void getDevice().unsubscribe(watch)
    }
  }, [caseId])

  if (view === undefined) return <p>{t('common.loading')}</p>
  if (view === null || !view.row) return <p class="error">{t('case.notFound')}</p>
  const row = view.row
  const state = view.workflow.state
  const status = state?.status ?? 'draft'
  const shown = shownStatus(status, view.pendingCommands, state?.withdrawal?.reason)
  const submitting = view.pendingCommands.includes('submit')
  const editable = (status === 'draft' || status === 'returned') && view.pendingCommands.length === 0
  const discardable = status === 'draft' && (state?.submission ?? 0) === 0 && view.pendingCommands.length === 0
  // A return for correction names what to fix: only those items open up (all, if any is unnamed).
  const corrections = status === 'returned' ? (state?.corrections ?? []) : []
  const fixOnly = corrections.length && corrections.every((c) => c.path) ? new Set(corrections.map((c) => c.path!)) : null
  const canEdit = (path: string) => editable && (!fixOnly || fixOnly.has(path))
  const values = { ...view.form, ...typed }
  const derived = view.item ? computeDerived(view.item.fields, values) : {}
  // Judged live once a take-in was tried: a fixed value takes its problem away at once.
  const problems: CaseProblem[] | null = attempted && view.item ? validateCase(view.item, { ...values, ...derived } as Record<string, string>, view.materials) : null
  const problemOf = (path: string) => {
    const mine = problems?.filter((p) => p.path === path) ?? []
    return mine.length ? { text: mine.map(problemText).join('；'), severity: mine.some((p) => p.severity === 'error') ? ('error' as const) : ('warning' as const) } : null
  }

  async function takeIn() {
    setAttempted(true)
    const r = await getDevice().takeIn(caseId)
    setTakenIn(r.ok)
    reload()
  }
  const photosOf = (materialId: string) => {
    const quality = new Map(view.photos.map((p) => [p.hash, p.quality]))
    const hashes = [...new Set([...(view.materials[materialId]?.photos ?? []), ...view.photos.filter((p) => p.materialId === materialId && !view.materials[materialId]).map((p) => p.hash)])]
    return hashes.map((hash) => ({ hash, ...(quality.get(hash) ? { quality: quality.get(hash)! } : {}) }))
  }

  return (
    <article class="case-detail">
      <header class="card">
        <p class="back">
          <a href="#/cases" class="back-link" data-testid="back">
            ‹ {t('common.back')}
          </a>
        </p>
        <h1>{view.item ? itemName(view.item) : row.itemName}</h1>
        <p>
          {t('case.number')}: <span class="mono" data-testid="case-number">{row.number}</span>
        </p>
        <p>
          <span class={`badge status-${shown}`} data-testid="case-status">
            {tk(`status.${shown}`)}
          </span>{' '}
          {state?.clock && (
            <span>
              {t('case.deadline', { date: state.clock.deadline })}
              {state.clock.estimated ? t('case.estimated') : ''}
            </span>
          )}
          <span class="muted"> · {t('case.created', { time: formatTime(view.meta.createdAt) })}</span>
        </p>
        {/* The badge already says a take-in waits to sync; other queued commands are named here. */}
        {view.pendingCommands.some((c) => c !== 'submit' && c !== 'discard') && (
          <p class="pending" data-testid="case-pending">
            {t('case.pendingSync', { commands: view.pendingCommands.map((c) => tk(`command.${c}`)).join('、') })}
          </p>
        )}
        {row.problem && <p class="error">{t('case.problem', { message: row.problem })}</p>}
        {!takenIn && <PaperButtons view={view} onPrinted={reload} />}
      </header>

      {status === 'returned' && state && (
        <section class="card corrections" data-testid="corrections">
          <h2>{t('case.corrections')}</h2>
          <CorrectionList corrections={state.corrections} />
          {state.correctionDue && <p>{t('case.correctionDue', { date: state.correctionDue })}</p>}
        </section>
      )}

      {view.item && (
        <form class="card" onSubmit={(e) => e.preventDefault()} aria-label={t('case.form')}>
          <h2>{t('case.form')}</h2>
          {!editable && <p class="muted">{submitting ? t('case.readonlyTakenIn') : t('case.readonly')}</p>}
          <div class="fields">
            {view.item.fields.map((f) => (
              <FieldInput
                key={f.id}
                field={f}
                value={view.form[f.id]}
                {...(f.derive ? { computed: derived[f.id] ?? '' } : {})}
                readOnly={!canEdit(`form.${f.id}`)}
                toFix={fixOnly?.has(`form.${f.id}`) ?? false}
                showProblems={attempted}
                onSave={(v) => {
                  setTyped((prev) => ({ ...prev, [f.id]: v }))
                  void getDevice().setField(caseId, f.id, v)
                }}
              />
            ))}
          </div>
          <h2>{t('case.materials')}</h2>
          {view.item.materials.map((m) => (
            <MaterialRow
              key={m.id}
              spec={m}
              state={view.materials[m.id]}
              photos={photosOf(m.id)}
              readOnly={!canEdit(`materials.${m.id}`)}
              problem={problemOf(`materials.${m.id}`)}
              onChange={(s: MaterialState) => void getDevice().setMaterial(caseId, m.id, s).then(reload)}
              onPhoto={(file) => getDevice().addPhoto(caseId, m.id, file).then(reload)}
              onRotate={(hash) => getDevice().rotatePhoto(caseId, m.id, hash).then(reload)}
              onDelete={(hash) => getDevice().removePhoto(caseId, m.id, hash).then(reload)}
            />
          ))}
          {problems && <TakeInProblems item={view.item} problems={problems} />}
          {takenIn ? (
            <TakeInConfirmation number={row.number}>{takenInActions ? takenInActions(caseId) : <PaperButtons view={view} onPrinted={reload} />}</TakeInConfirmation>
          ) : (
            editable && (
              <div class="case-actions">
                <button type="button" class="primary" data-testid="take-in" onClick={() => void takeIn()}>
                  {status === 'returned' ? t('case.resubmit') : t('case.takeIn')}
                </button>
                {discardable && (
                  <DiscardDraft
                    onDiscard={async () => {
                      await getDevice().command(caseId, { type: 'discard' })
                      navigate('/cases')
                    }}
                  />
                )}
              </div>
            )
          )}
        </form>
      )}

      <CaseNotes caseId={caseId} notes={view.notes} onAdded={reload} />

      <CaseTimeline
        view={view}
        event={(e) => (
          <li key={e.id}>
            {formatTime(e.at)} · {e.type === 'rate' && view.workflow.state?.rating?.voided ? <s>{tk(`command.${e.type}`)}</s> : tk(`command.${e.type}`)} → {tk(`status.${e.status}`)} <span class="muted">({t(`role.${e.role}`)})</span>
            {e.type === 'rate' && view.workflow.state?.rating?.voided && <span class="muted small">{t('history.voided', { reason: view.workflow.state.rating.voided.reason })}</span>}
          </li>
        )}
      />
    </article>
  )
}
