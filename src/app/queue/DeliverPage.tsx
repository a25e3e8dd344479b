// 送达: the agent records how the result reached the resident, how many times the resident had to
// come in person, and the resident's 好差评 rating (five levels, one per case, comment optional).
import './messages'
import { useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import { DeliveryMethods, type DeliveryMethod, type Rating } from '../../core/workflow-model'
import { getDevice } from '../device'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'

const RATINGS: Rating[] = [5, 4, 3, 2, 1]

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
    else await getDevice().deliver(caseId, { method, trips, rating, comment, tripsNote: t('deliver.tripsNote', { count: trips }) })
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
          <label>
            {t('deliver.method')}
            <select value={method} data-testid="deliver-method" onChange={(e) => setMethod(e.currentTarget.value as DeliveryMethod)}>
              {DeliveryMethods.map((m) => (
                <option key={m} value={m}>
                  {tk(`delivery.${m}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('deliver.trips')}
            <input type="number" min={0} max={20} value={trips} data-testid="deliver-trips" onInput={(e) => setTrips(Math.max(0, Math.min(20, Number(e.currentTarget.value) || 0)))} />
            <span class="muted small">{t('deliver.tripsHint')}</span>
          </label>
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
