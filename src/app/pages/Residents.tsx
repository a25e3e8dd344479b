import { useState } from 'preact/hooks'
import { getDevice } from '../device'
import { useLoad } from '../hooks'
import { t } from '../i18n'
import { navigate } from '../router'
import { ResidentForm } from './ResidentForm'

export function Residents() {
  const [search, setSearch] = useState('')
  const [adding, setAdding] = useState(false)
  const { value: rows } = useLoad(() => getDevice().searchResidents(search, 50), [search])
  return (
    <section class="card">
      <h1>{t('resident.title')}</h1>
      <div class="toolbar">
        <input type="search" data-testid="resident-search" placeholder={t('resident.search')} aria-label={t('resident.search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        <button type="button" data-testid="resident-new" onClick={() => setAdding(true)}>
          {t('resident.new')}
        </button>
      </div>
      {adding && <ResidentForm onSaved={(id) => navigate(`/residents/${id}`)} onCancel={() => setAdding(false)} />}
      {rows && rows.length === 0 && <p class="empty">{t('resident.empty')}</p>}
      <ul class="items">
        {rows?.map((r) => (
          <li key={r.id}>
            <a href={`#/residents/${r.id}`} data-testid="resident-row">
              <strong>{r.name}</strong> <span class="mono muted">{r.idMasked}</span> <span class="muted">{r.phoneMasked}</span>
              <span class="muted small">{r.address}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  )
}
