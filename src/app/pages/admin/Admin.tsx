// Administration for the `admin` role: one page, a tab per subject, online only.
import type { OrgUnit } from '../../../core'
import { useLoad } from '../../hooks'
import { t, type MessageKey } from '../../i18n'
import { adminCall } from './api'
import { AccountsAdmin } from './AccountsAdmin'
import { AuditAdmin } from './AuditAdmin'
import { CalendarAdmin } from './CalendarAdmin'
import { CatalogueAdmin } from './CatalogueAdmin'
import { DevicesAdmin } from './DevicesAdmin'
import { OrgAdmin } from './OrgAdmin'
import './admin.css'

import { AdminTabs, type AdminTab } from './tabs'

export function Admin({ tab, scope }: { tab: AdminTab; scope: string }) {
  const { value } = useLoad(() => adminCall<{ units: OrgUnit[] }>('GET', '/api/admin/org'), [])
  const county = value?.ok ? value.data.units.find((u) => u.code === scope)?.name : undefined
  return (
    <section class="card admin">
      <h1>{t('admin.title')}</h1>
      <p class="muted">{t('admin.scope', { scope: county ? `${county} ${scope}` : scope })}</p>
      <nav class="admin-tabs" aria-label={t('admin.title')}>
        {AdminTabs.map((x) => (
          <a key={x} href={`#/admin/${x}`} data-testid={`admin-tab-${x}`} class={x === tab ? 'active' : ''} aria-current={x === tab ? 'page' : undefined}>
            {t(`admin.tab.${x}` as MessageKey)}
          </a>
        ))}
      </nav>
      {tab === 'org' && <OrgAdmin />}
      {tab === 'accounts' && <AccountsAdmin />}
      {tab === 'devices' && <DevicesAdmin />}
      {tab === 'catalogue' && <CatalogueAdmin />}
      {tab === 'calendar' && <CalendarAdmin />}
      {tab === 'audit' && <AuditAdmin />}
    </section>
  )
}
