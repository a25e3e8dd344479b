import { useState } from 'preact/hooks'
import type { ServiceItem } from '../../core/catalogue'
import { getDevice } from '../device'
import { itemName, materialName } from '../catalogue-labels'
import { useLoad } from '../hooks'
import { getLocale, t, tk } from '../i18n'
import { navigate } from '../router'

/** Picks a service item (searchable, grouped by department) and starts a case of it. */
export function NewCase({ residentId }: { residentId?: string }) {
  const [search, setSearch] = useState('')
  const [busy, setBusy] = useState(false)
  const { value: items } = useLoad(() => getDevice().catalogue(), [])
  const q = search.trim().toLowerCase()
  const shown = (items ?? []).filter((i) => !q || [i.name, i.nameEn ?? '', ...(i.aliases ?? [])].some((n) => n.toLowerCase().includes(q)))
  const groups = new Map<string, ServiceItem[]>()
  for (const i of shown) groups.set(i.department, [...(groups.get(i.department) ?? []), i])

  async function pick(item: ServiceItem) {
    setBusy(true)
    const { caseId } = await getDevice().createCase(item.code, residentId)
    navigate(`/case/${caseId}`)
  }

  return (
    <section class="card">
      <h1>{t('item.pick')}</h1>
      <input type="search" data-testid="item-search" placeholder={t('item.search')} aria-label={t('item.search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} autoFocus />
      {[...groups.entries()].map(([dept, list]) => (
        <div key={dept} class="group">
          <h2>{tk(`dept.${dept}`)}</h2>
          <ul class="items">
            {list.map((item) => (
              <li key={item.code}>
                <button type="button" class="item-option" data-testid="item-option" disabled={busy} onClick={() => void pick(item)}>
                  <strong>{itemName(item)}</strong>
                  <span class="muted">
                    {item.kind === 'instant' ? t('item.kind.instant') : t('item.kind.promised', { days: item.promisedLimitDays })} · {t(`item.level.${item.level}`)} ·{' '}
                    {t('item.trips', { count: item.tripsRequired })} · {t('item.materials', { count: item.materials.length })}
                  </span>
                  <span class="muted small">{item.materials.map(materialName).join(getLocale() === 'en' ? ', ' : '、')}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}
