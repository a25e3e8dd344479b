// The clerk's decisions on one case. Each goes into the outbox as a workflow command and is
// decided by the server in its order; only the commands the state machine allows are offered.
import { useState } from 'preact/hooks'
import type { CaseId, UserId } from '../../core/brand'
import { availableCommands } from '../../core/workflow'
import { DeliveryMethods, SpecialProcedures, type CorrectionItem } from '../../core/workflow-model'
import type { CaseView, SessionInfo } from '../../sync/device-service'
import type { CommandInput } from '../../store/case-store'
import type { DivisionCode } from '../../core/brand'
import { getDevice } from '../device'
import { problemText } from '../components/FieldInput'
import { t, tk } from '../i18n'

export type Decision = 'accept' | 'return' | 'refuse' | 'forward' | 'complete' | 'suspend' | 'resume'

export { claimsKnown } from './shared'

export function allowedDecisions(view: CaseView, session: SessionInfo): Set<string> {
  const state = view.workflow.state
  if (!state) return new Set()
  return new Set(availableCommands(state, { userId: session.userId as UserId, role: session.role, scope: session.scope as DivisionCode }))
}

interface Candidate {
  path: string
  label: string
  suggested: string
}

function candidates(view: CaseView): Candidate[] {
  const item = view.item
  if (!item) return []
  const why = (path: string) =>
    view.problems
      .filter((p) => p.path === path)
      .map(problemText)
      .join('；')
  return [
    ...item.materials.map((m) => ({ path: `materials.${m.id}`, label: m.name, suggested: why(`materials.${m.id}`) })),
    ...item.fields.map((f) => ({ path: `form.${f.id}`, label: f.label, suggested: why(`form.${f.id}`) })),
  ]
}

export function DecisionPanel({ view, action, onCancel, onDone }: { view: CaseView; action: Decision; onCancel: () => void; onDone: (message: string) => void }) {
  const caseId = view.id as CaseId
  const all = candidates(view)
  const [picked, setPicked] = useState<Record<string, string>>(() => Object.fromEntries(all.filter((c) => c.suggested).map((c) => [c.path, c.suggested])))
  const [other, setOther] = useState({ label: '', reason: '' })
  const [due, setDue] = useState('')
  const [reason, setReason] = useState('')
  const [appeal, setAppeal] = useState(t('review.refuse.appealDefault'))
  const [decision, setDecision] = useState<'approved' | 'denied'>('approved')
  const [method, setMethod] = useState<(typeof DeliveryMethods)[number]>('agent')
  const [procedure, setProcedure] = useState<(typeof SpecialProcedures)[number]>('public_notice')
  const [error, setError] = useState<string | null>(null)

  function build(): CommandInput | string {
    switch (action) {
      case 'accept':
      case 'forward':
      case 'resume':
        return { type: action }
      case 'return': {
        const list: CorrectionItem[] = all.filter((c) => c.path in picked).map((c) => ({ path: c.path, label: c.label, reason: picked[c.path]!.trim() }))
        if (other.label.trim() || other.reason.trim()) list.push({ label: other.label.trim(), reason: other.reason.trim() })
        if (!list.length) return t('review.return.none')
        if (list.some((c) => !c.label || !c.reason)) return t('review.return.reasonNeeded')
        return { type: 'return', corrections: list, ...(due ? { due } : {}) }
      }
      case 'refuse':
        if (!reason.trim() || !appeal.trim()) return t('review.refuse.needed')
        return { type: 'refuse', reason: reason.trim(), appeal: appeal.trim() }
      case 'complete': {
        if (decision === 'denied' && !reason.trim()) return t('review.complete.reasonNeeded')
        const text = [reason.trim(), t('review.complete.methodNote', { method: tk(`delivery.${method}`) })].filter(Boolean).join(' ')
        return { type: 'complete', decision, reason: text }
      }
      case 'suspend':
        return { type: 'suspend', procedure }
    }
  }

  async function confirm() {
    const cmd = build()
    if (typeof cmd === 'string') return setError(cmd)
    await getDevice().command(caseId, cmd)
    onDone(t('review.queued', { command: tk(`command.${cmd.type}`) }))
  }

  return (
    <form
      class={`card decision decision-${action}`}
      data-testid={`decision-${action}`}
      onSubmit={(e) => {
        e.preventDefault()
        void confirm()
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h2>{tk(`review.title.${action}`)}</h2>
      {action === 'accept' && <p>{t('review.accept.hint')}</p>}
      {action === 'forward' && <p>{t('review.forward.hint')}</p>}
      {action === 'resume' && <p>{t('review.resume.hint')}</p>}
      {action === 'return' && (
        <>
          <p class="muted">{t('review.return.hint')}</p>
          <ul class="correction-list">
            {all.map((c) => (
              <li key={c.path} data-testid="correction-item" data-path={c.path} class={c.path in picked ? 'on' : ''}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={c.path in picked}
                    onChange={(e) => {
                      const next = { ...picked }
                      if (e.currentTarget.checked) next[c.path] = c.suggested
                      else delete next[c.path]
                      setPicked(next)
                    }}
                  />
                  {c.label}
                  {c.suggested && <span class="error small"> · {c.suggested}</span>}
                </label>
                {c.path in picked && (
                  <input
                    class="reason"
                    value={picked[c.path]}
                    required
                    placeholder={t('review.return.reason')}
                    aria-label={t('review.return.reasonFor', { name: c.label })}
                    onInput={(e) => setPicked({ ...picked, [c.path]: e.currentTarget.value })}
                  />
                )}
              </li>
            ))}
            <li data-testid="correction-item" data-path="">
              <input placeholder={t('review.return.otherLabel')} aria-label={t('review.return.otherLabel')} value={other.label} onInput={(e) => setOther({ ...other, label: e.currentTarget.value })} />
              <input class="reason" placeholder={t('review.return.reason')} aria-label={t('review.return.reason')} value={other.reason} onInput={(e) => setOther({ ...other, reason: e.currentTarget.value })} />
            </li>
          </ul>
          <label class="inline-label">
            {t('review.return.due')}
            <input type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
          </label>
          <p class="muted small">{t('review.return.once')}</p>
        </>
      )}
      {action === 'refuse' && (
        <>
          <label>
            {t('review.refuse.reason')}
            <textarea required rows={3} value={reason} data-testid="refuse-reason" onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <label>
            {t('review.refuse.appeal')}
            <textarea required rows={3} value={appeal} data-testid="refuse-appeal" onInput={(e) => setAppeal(e.currentTarget.value)} />
          </label>
        </>
      )}
      {action === 'complete' && (
        <>
          <div class="segmented" role="radiogroup" aria-label={t('review.complete.decision')}>
            {(['approved', 'denied'] as const).map((d) => (
              <label key={d} class={decision === d ? 'on' : ''}>
                <input type="radio" name="decision" checked={decision === d} data-testid={`complete-${d}`} onChange={() => setDecision(d)} />
                {tk(`review.complete.${d}`)}
              </label>
            ))}
          </div>
          <label>
            {t('review.complete.result')}
            <textarea rows={3} value={reason} data-testid="complete-result" onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <label>
            {t('review.complete.method')}
            <select value={method} onChange={(e) => setMethod(e.currentTarget.value as typeof method)}>
              {DeliveryMethods.map((m) => (
                <option key={m} value={m}>
                  {tk(`delivery.${m}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {action === 'suspend' && (
        <label>
          {t('review.suspend.procedure')}
          <select value={procedure} onChange={(e) => setProcedure(e.currentTarget.value as typeof procedure)}>
            {SpecialProcedures.map((p) => (
              <option key={p} value={p}>
                {tk(`procedure.${p}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" data-testid="decision-confirm">
          {t('review.confirm', { command: tk(`command.${action}`) })}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
