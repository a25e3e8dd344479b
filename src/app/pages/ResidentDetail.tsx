import { getDevice } from '../device'
import { shownStatus } from '../case-status'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'
import { ResidentForm } from './ResidentForm'

export function ResidentDetail({ id }: { id: string }) {
  const { value: resident, reload } = useLoad(() => getDevice().getResident(id), [id])
  const { value: cases } = useLoad(() => getDevice().residentCases(id), [id])
  if (resident === undefined) return <p>{t('common.loading')}</p>
  if (!resident) return <p class="error">{t('resident.empty')}</p>
  return (
    <section class="card">
      <p class="muted">
        <a href="#/residents">{t('common.back')}</a>
      </p>
      <h1>{resident.name}</h1>
      <ResidentForm key={resident.updatedAt} initial={{ id: resident.id, name: resident.name, idNumber: resident.idNumber, phone: resident.phone, address: resident.address }} onSaved={reload} />
      <button type="button" class="primary" data-testid="resident-start-case" onClick={() => navigate(`/new?resident=${resident.id}`)}>
        {t('resident.startCase')}
      </button>
      <h2>{t('resident.cases')}</h2>
      {cases && cases.length === 0 && <p class="muted">{t('resident.noCases')}</p>}
      <ul class="items">
        {cases?.map((c) => (
          <li key={c.id}>
            <a href={`#/case/${c.id}`}>
              {c.itemName} <span class={`badge status-${shownStatus(c.status, c.pendingCommand)}`}>{tk(`status.${shownStatus(c.status, c.pendingCommand)}`)}</span> <span class="mono muted">{c.number}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  )
}
