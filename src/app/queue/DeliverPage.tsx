// 送达: the agent records how the result reached the resident, how many times the resident had to
// come in person, and the resident's 好差评 rating (five levels, one per case, comment optional).
import { useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import { DeliveryMethods, MAX_TRIPS, type DeliveryMethod, type Rating } from '../../core/workflow-model'
import { getDevice } from '../device'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'

const RATINGS: Rating[] = [5, 4, 3, 2, 1]

/** Trips are a whole number 0–20 (the command's bound). */
const clampTrips = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.min(MAX_TRIPS, Math.trunc(n))) : 0)

export function DeliverPage({ id }: { id: string }) {
  const caseId = id as CaseId
  const { value: view } = useLoad(() => getDevice().getCase(caseId), [caseId])
  const [method, setMethod] = useState<DeliveryMethod>('agent')
  const [trips, setTrips] = useState(0)
  const [rating, setRating] = useState<Rating | null>(null)
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  if (view === undefined) return <p class="loading">{t('common.loading')}</p>
  if (!view?.workflow.state) return <p class="error">{t('case.notFound')}</p>
  const state = view.workflow.state
  const onlyRating = state.status === 'delivered'
  if (state.status !== 'completed' && !(onlyRating && !state.rating)) return <p class="muted">{t('deliver.notNow', { status: tk(`status.${state.status}`) })}</p>

  async function save() {
    if (!rating && onlyRating) return setError(t('deliver.ratingNeeded'))
    if (onlyRating) await getDevice().rate(caseId, rating!, comment)
    else await getDevice().deliver(caseId, { method, trips, rating, comment })
    navigate('/tasks')
  }

  return (
    <form
      class="card deliver"
      data-testid="deliver-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <p class="muted small">
        <a href="#/tasks">{t('common.back')}</a>
      </p>
      <h1>
        {onlyRating ? t('deliver.rateTitle') : t('deliver.title')} · {view.item?.name ?? view.row.itemName} <span class="mono muted small">{view.row.number}</span>
      </h1>
      {state.decision && (
        <p>
          {tk(`review.complete.${state.decision.decision}`)} {state.decision.reason}
        </p>
      )}
      {!onlyRating && (
        <div class="deliver-grid">
          <fieldset class="deliver-method">
            <legend>{t('deliver.method')}</legend>
            <div class="segmented" role="radiogroup" data-testid="deliver-method">
              {DeliveryMethods.map((m) => (
                <label key={m} class={method === m ? 'on' : ''}>
                  <input type="radio" name="method" value={m} checked={method === m} data-testid={`deliver-method-${m}`} onChange={() => setMethod(m)} />
                  {tk(`delivery.${m}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset class="deliver-trips">
            <legend>{t('deliver.trips')}</legend>
            <div class="stepper">
              <button type="button" class="secondary" aria-label={t('deliver.tripsLess')} data-testid="deliver-trips-less" disabled={trips <= 0} onClick={() => setTrips(clampTrips(trips - 1))}>
                −
              </button>
              <input type="number" inputMode="numeric" min={0} max={MAX_TRIPS} step={1} value={trips} aria-label={t('deliver.trips')} data-testid="deliver-trips" onInput={(e) => setTrips(clampTrips(Number(e.currentTarget.value)))} />
              <button type="button" class="secondary" aria-label={t('deliver.tripsMore')} data-testid="deliver-trips-more" disabled={trips >= MAX_TRIPS} onClick={() => setTrips(clampTrips(trips + 1))}>
                +
              </button>
            </div>
            <span class="muted small">{t('deliver.tripsHint')}</span>
          </fieldset>
        </div>
      )}
      <fieldset class="rating">
        <legend>{t('deliver.rating')}</legend>
        <div class="segmented rating-choices" role="radiogroup">
          {RATINGS.map((r) => (
            <label key={r} class={`${rating === r ? 'on' : ''} r${r}`}>
              <input type="radio" name="rating" checked={rating === r} data-testid={`rating-${r}`} onChange={() => setRating(r)} />
              {tk(`rating.${r}`)}
            </label>
          ))}
        </div>
        <label>
          {t('deliver.comment')}
          <textarea rows={2} maxLength={2000} value={comment} data-testid="rating-comment" onInput={(e) => setComment(e.currentTarget.value)} />
        </label>
        {!onlyRating && <p class="muted small">{t('deliver.ratingLater')}</p>}
      </fieldset>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" data-testid="decision-confirm">
        {onlyRating ? t('deliver.saveRating') : t('deliver.save')}
      </button>
    </form>
  )
}
