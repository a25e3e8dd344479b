// The audit trail of the county, newest first, filtered by account, case and action.
import { useState } from 'preact/hooks'
import type { AuditPage } from '../../../core'
import { useLoad } from '../../hooks'
import { t } from '../../i18n'
import { adminCall, fmtTime } from './api'
import { AdminTable } from './AdminTable'

export function AuditAdmin() {
  const [filter, setFilter] = useState({ user: '', case: '', action: '' })
  const [applied, setApplied] = useState(filter)
  const [before, setBefore] = useState<number | null>(null)
  const query = new URLSearchParams(Object.entries({ ...applied, ...(before ? { before: String(before) } : {}) }).filter(([, v]) => v)).toString()
  const { value } = useLoad(() => adminCall<AuditPage>('GET', `/api/admin/audit${query ? `?${query}` : ''}`), [query])
  const rows = value?.ok ? value.data.rows : []
  const input = (k: keyof typeof filter, label: string) => (
    <label class="field">
      <span>{label}</span>
      <input data-testid={`audit-${k}`} value={filter[k]} maxLength={64} onInput={(e) => setFilter({ ...filter, [k]: (e.target as HTMLInputElement).value.trim() })} />
    </label>
  )
  return (
    <div class="admin-audit">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          setBefore(null)
          setApplied(filter)
        }}
      >
        {input('user', t('audit.user'))}
        {input('case', t('audit.case'))}
        {input('action', t('audit.action'))}
        <button type="submit" data-testid="audit-filter">
          {t('audit.filter')}
        </button>
      </form>
      {value && !value.ok && <p class="error">{t('admin.failed', { message: value.message })}</p>}
      <AdminTable testid="audit-table" head={[t('audit.at'), t('audit.user'), t('audit.action'), t('audit.case'), t('audit.device'), t('audit.detail')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{fmtTime(r.at)}</td>
            <td class="nowrap">{r.user.displayName ?? r.user.id}</td>
            <td class="mono">{r.action}</td>
            <td class="mono">{r.caseNumber ?? ''}</td>
            <td class="mono small">{r.deviceId}</td>
            <td class="mono small detail">{JSON.stringify(r.detail).slice(0, 160)}</td>
          </tr>
        ))}
      </AdminTable>
      {value?.ok && rows.length === 0 && <p class="muted">{t('admin.none')}</p>}
      {value?.ok && value.data.more && (
        <button type="button" onClick={() => setBefore(rows.at(-1)!.id)}>
          {t('audit.more')}
        </button>
      )}
    </div>
  )
}
