import { useState } from 'preact/hooks'
import type { CaseProblem, MaterialState } from '../../core/case-validation'
import type { CaseId } from '../../core/brand'
import { FieldInput, problemText } from '../components/FieldInput'
import { MaterialRow } from '../components/MaterialRow'
import { CaseNotes } from '../components/CaseNotes'
import { PaperButtons } from '../components/PaperButtons'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'

export function CaseDetail({ id }: { id: string }) {
  const caseId = id as CaseId
  const { value: view, reload } = useLoad(() => getDevice().getCase(caseId), [caseId])
  const [problems, setProblems] = useState<CaseProblem[] | null>(null)
  const [takenIn, setTakenIn] = useState(false)

  if (view === undefined) return <p>{t('common.loading')}</p>
  if (view === null || !view.row) return <p class="error">{t('case.notFound')}</p>
  const row = view.row
  const state = view.workflow.state
  const status = state?.status ?? 'draft'
  const submitting = view.pendingCommands.includes('submit')
  const editable = (status === 'draft' || status === 'returned') && !submitting
  // A return for correction names what to fix: only those items open up (all, if any is unnamed).
  const corrections = status === 'returned' ? (state?.corrections ?? []) : []
  const fixOnly = corrections.length && corrections.every((c) => c.path) ? new Set(corrections.map((c) => c.path!)) : null
  const canEdit = (path: string) => editable && (!fixOnly || fixOnly.has(path))
  const problemOf = (path: string) => problems?.filter((p) => p.path === path).map(problemText).join('；') || null

  async function takeIn() {
    const r = await getDevice().takeIn(caseId)
    setProblems(r.problems)
    setTakenIn(r.ok)
    reload()
  }
  const photosOf = (materialId: string) => [...new Set([...(view.materials[materialId]?.photos ?? []), ...view.photos.filter((p) => p.materialId === materialId).map((p) => p.hash)])]

  return (
    <article class="case-detail">
      <header class="card">
        <p class="muted">
          <a href="#/cases">{t('common.back')}</a>
        </p>
        <h1>{view.item?.name ?? row.itemName}</h1>
        <p>
          {t('case.number')}: <span class="mono" data-testid="case-number">{row.number}</span>
        </p>
        <p>
          <span class={`badge status-${status}`} data-testid="case-status">
            {tk(`status.${status}`)}
          </span>{' '}
          {state?.clock && (
            <span>
              {t('case.deadline', { date: state.clock.deadline })}
              {state.clock.estimated ? t('case.estimated') : ''}
            </span>
          )}
          <span class="muted"> · {t('case.created', { time: formatTime(view.meta.createdAt) })}</span>
        </p>
        {view.pendingCommands.length > 0 && (
          <p class="pending" data-testid="case-pending">
            {t('case.pendingSync', { commands: view.pendingCommands.map((c) => tk(`command.${c}`)).join('、') })}
          </p>
        )}
        {row.problem && <p class="error">{t('case.problem', { message: row.problem })}</p>}
        {takenIn && (
          <p class="success" role="status" data-testid="taken-in">
            {t('case.takenIn', { number: row.number })}
          </p>
        )}
        <PaperButtons view={view} onPrinted={reload} />
      </header>

      {status === 'returned' && state && (
        <section class="card corrections" data-testid="corrections">
          <h2>{t('case.corrections')}</h2>
          <ol>
            {state.corrections.map((c, i) => (
              <li key={i}>
                <strong>{c.label}</strong>：{c.reason}
              </li>
            ))}
          </ol>
          {state.correctionDue && <p>{t('case.correctionDue', { date: state.correctionDue })}</p>}
        </section>
      )}

      {view.item && (
        <form class="card" onSubmit={(e) => e.preventDefault()} aria-label={t('case.form')}>
          <h2>{t('case.form')}</h2>
          {!editable && <p class="muted">{t('case.readonly')}</p>}
          <div class="fields">
            {view.item.fields.map((f) => (
              <FieldInput
                key={f.id}
                field={f}
                value={view.form[f.id]}
                readOnly={!canEdit(`form.${f.id}`)}
                toFix={fixOnly?.has(`form.${f.id}`) ?? false}
                showProblems={problems !== null}
                onSave={(v) => void getDevice().setField(caseId, f.id, v)}
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
              onPhoto={(file) => void getDevice().addPhoto(caseId, m.id, file).then(reload)}
            />
          ))}
          {problems && problems.length > 0 && (
            <div class="problems" role="alert" data-testid="take-in-problems">
              <p>{t('case.problems', { count: problems.length })}</p>
              <ul>
                {problems.map((p, i) => {
                  const field = view.item!.fields.find((f) => `form.${f.id}` === p.path)
                  const material = view.item!.materials.find((m) => `materials.${m.id}` === p.path)
                  return (
                    <li key={i} class={p.severity}>
                      <button
                        type="button"
                        class="link"
                        onClick={() => {
                          const target = field ? document.getElementById(`f-${field.id}`) : document.querySelector<HTMLElement>(`[data-testid="material-${material?.id}"] input`)
                          target?.focus()
                        }}
                      >
                        {t('case.problemAt', { where: field?.label ?? material?.name ?? p.path, problem: problemText(p) })}
                      </button>
                    </li>
                  )
                })}
              </ul>
            </div>
          )}
          {editable && (
            <button type="button" class="primary" data-testid="take-in" onClick={() => void takeIn()}>
              {status === 'returned' ? t('case.resubmit') : t('case.takeIn')}
            </button>
          )}
        </form>
      )}

      <CaseNotes caseId={caseId} notes={view.notes} onAdded={reload} />

      <section class="card">
        <h2>{t('case.timeline')}</h2>
        <ol class="timeline" data-testid="timeline">
          <li>
            {formatTime(view.meta.createdAt)} · {tk('status.draft')}
          </li>
          {view.workflow.events.map((e) => (
            <li key={e.id}>
              {formatTime(e.at)} · {tk(`command.${e.type}`)} → {tk(`status.${e.status}`)} <span class="muted">({t(`role.${e.role}`)})</span>
            </li>
          ))}
          {view.pendingCommands.map((c, i) => (
            <li key={`p${i}`} class="pending">
              {tk(`command.${c}`)} · {t('list.pending')}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}
