import { useEffect, useState } from 'preact/hooks'
import type { ServiceItem } from '../../core'
import { fetchCatalogue, type Session } from '../api'
import { t } from '../i18n'

export function Home({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const [items, setItems] = useState<ServiceItem[]>([])
  useEffect(() => {
    void fetchCatalogue<ServiceItem>(session.token).then((r) => r.ok && setItems(r.value.items))
  }, [session.token])

  return (
    <section class="card">
      <h1>{t('home.welcome', { name: session.user.displayName })}</h1>
      <p>
        {t(`role.${session.user.role}`)} · {t('home.scope', { scope: session.user.scope })}
      </p>
      <h2>{t('home.catalogue', { count: items.length })}</h2>
      <ul class="items">
        {items.map((i) => (
          <li key={i.code}>
            <strong>{i.name}</strong>
            <span>
              {i.kind === 'instant' ? t('item.kind.instant') : t('item.kind.promised', { days: i.promisedLimitDays })} · {t(`item.level.${i.level}`)}
            </span>
          </li>
        ))}
      </ul>
      <button data-testid="logout" onClick={onLogout}>
        {t('home.logout')}
      </button>
    </section>
  )
}
