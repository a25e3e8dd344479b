// The resident's 好差评 on a case: the rating and comment, the township's follow-up of a bad one
// (due day, answer), and — for an administrator — voiding a mistaken or malicious rating with a
// recorded reason (国办发〔2019〕51号). A voided rating stays visible, struck through, with its
// reason; no figure counts it, and its open follow-up closes.
import { useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import { MAX_VOID_REASON } from '../../core/command-schema'
import type { WorkflowState } from '../../core/workflow-model'
import { getDevice } from '../device'
import { t, tk } from '../i18n'

export function RatingCard({ caseId, state, isAdmin, pending, onDone }: { caseId: CaseId; state: WorkflowState; isAdmin: boolean; pending: boolean; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('')
  const [open, setOpen] = useState(false)
  const rating = state.rating
  if (!rating) return null
  const voided = rating.voided ?? null
  const followUp = state.followUp ?? null

  async function save() {
    if (!reason.trim()) return
    await getDevice().voidRating(caseId, reason)
    setOpen(false)
    onDone(t('rating.voidQueued'))
  }

  return (
    <section class="card rating-card" data-testid="rating-card">
      <h2>{t('rating.title')}</h2>
      <p>
        {voided ? (
          <s data-testid="rating-voided">{tk(`rating.${rating.rating}`)}</s>
        ) : (
          <strong data-testid="rating-value">{tk(`rating.${rating.rating}`)}</strong>
        )}
        {rating.comment && <span class="muted"> · {rating.comment}</span>}
      </p>
      {voided && (
        <p class="muted small" data-testid="rating-void-reason">
          {t('rating.voidedOn', { date: voided.on, reason: voided.reason })}
        </p>
      )}
      {followUp && (
        <p class="small" data-testid="rating-follow-up">
          {followUp.closedBy === 'answer'
            ? t('rating.followUpAnswered', { date: followUp.closedOn ?? '', answer: followUp.answer ?? '' })
            : followUp.closedBy === 'void'
              ? t('rating.followUpVoided', { date: followUp.closedOn ?? '' })
              : t('rating.followUpOpen', { date: followUp.due, estimated: followUp.estimated ? t('rating.estimated') : '' })}
        </p>
      )}
      {isAdmin && !voided && !pending && !open && (
        <button type="button" class="secondary" data-testid="action-void-rating" onClick={() => setOpen(true)}>
          {t('rating.void')}
        </button>
      )}
      {isAdmin && !voided && open && (
        <form
          class="void-form"
          onSubmit={(e) => {
            e.preventDefault()
            void save()
          }}
        >
          <label>
            {t('rating.voidReason')}
            <textarea rows={2} required maxLength={MAX_VOID_REASON} value={reason} data-testid="void-reason" onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <p class="muted small">{t('rating.voidHint')}</p>
          <div class="actions">
            <button type="submit" class="primary" data-testid="void-confirm" disabled={!reason.trim()}>
              {t('rating.voidConfirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
