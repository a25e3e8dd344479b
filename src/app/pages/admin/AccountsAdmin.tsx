// Accounts of the county: create (agent, township or county clerk with department, administrator),
// disable or enable (never delete), reset a password to a temporary one.
import { useState } from 'preact/hooks'
import { Departments, Roles, type OrgUnit } from '../../../core'
import { useLoad } from '../../hooks'
import { t, tk, type MessageKey } from '../../i18n'
import { adminCall, fmtTime } from './api'
import { AdminNotice, AdminTable } from './AdminTable'

interface Account {
  id: string
  username: string
  displayName: string
  role: string
  scope: string
  department: string | null
  disabled: boolean
  mustChangePassword: boolean
  createdAt: string
}
type Problem = { field: string; code: string; message: string }

const EMPTY = { username: '', displayName: '', role: 'agent', scope: '', department: '', password: '' }

export function AccountsAdmin() {
  const accounts = useLoad(() => adminCall<{ accounts: Account[] }>('GET', '/api/admin/accounts'), [])
  const org = useLoad(() => adminCall<{ county: string; units: OrgUnit[] }>('GET', '/api/admin/org'), [])
  const [form, setForm] = useState(EMPTY)
  const [problems, setProblems] = useState<Problem[]>([])
  const [message, setMessage] = useState<string | null>(null)
  const units = org.value?.ok ? org.value.data.units : []
  const county = org.value?.ok ? org.value.data.county : ''
  const level = form.role === 'agent' ? 'village' : form.role === 'township' ? 'township' : 'county'
  const scopes = level === 'county' ? units.filter((u) => u.code === county) : units.filter((u) => u.level === level)
  const nameOf = (code: string) => units.find((u) => u.code === code)?.name ?? code
  const set = (k: keyof typeof EMPTY) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })

  async function create(e: Event) {
    e.preventDefault()
    const body = { ...form, scope: form.scope || (level === 'county' ? county : ''), department: form.department || null }
    const r = await adminCall<{ account: Account }>('POST', '/api/admin/accounts', body)
    if (r.ok) {
      setProblems([])
      setMessage(t('accounts.created', { username: r.data.account.username }))
      setForm(EMPTY)
      accounts.reload()
    } else {
      const list = (r.details as { problems?: Problem[] } | null)?.problems
      setProblems(Array.isArray(list) && typeof list[0] === 'object' ? list : [{ field: '', code: r.code, message: r.message }])
    }
  }
  async function act(a: Account, action: 'disable' | 'enable' | 'reset-password') {
    if (action === 'disable' && !confirm(t('accounts.confirmDisable', { username: a.username }))) return
    const r = await adminCall<{ temporaryPassword?: string }>('POST', `/api/admin/accounts/${a.id}/${action}`)
    if (!r.ok) return setMessage(t('admin.failed', { message: r.message }))
    setMessage(r.data.temporaryPassword ? t('accounts.resetDone', { username: a.username, password: r.data.temporaryPassword }) : t('admin.saved'))
    accounts.reload()
  }
  const problemText = (p: Problem) => (`accounts.problem.${p.code}` === tk(`accounts.problem.${p.code}`) ? p.message : tk(`accounts.problem.${p.code}`))

  return (
    <div class="admin-accounts">
      <AdminNotice testid="accounts-message" message={message} />
      <AdminTable testid="accounts-table" head={[t('accounts.username'), t('accounts.displayName'), t('accounts.role'), t('accounts.scope'), t('accounts.status'), t('accounts.actions')]}>
        {(accounts.value?.ok ? accounts.value.data.accounts : []).map((a) => (
          <tr key={a.id} class={a.disabled ? 'muted' : ''}>
            <td class="mono">{a.username}</td>
            <td>{a.displayName}</td>
            <td>
              {t(`role.${a.role}` as MessageKey)}
              {a.department ? ` · ${t(`dept.${a.department}` as MessageKey)}` : ''}
            </td>
            <td>{nameOf(a.scope)}</td>
            <td title={fmtTime(a.createdAt)}>
              {a.disabled ? t('accounts.disabled') : t('accounts.active')}
              {a.mustChangePassword ? ` · ${t('accounts.mustChange')}` : ''}
            </td>
            <td class="actions">
              <button type="button" class="link" onClick={() => void act(a, a.disabled ? 'enable' : 'disable')}>
                {a.disabled ? t('accounts.enable') : t('accounts.disable')}
              </button>
              <button type="button" class="link" onClick={() => void act(a, 'reset-password')}>
                {t('accounts.reset')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      <h2>{t('accounts.new')}</h2>
      {problems.length > 0 && (
        <ul class="problems" role="alert" data-testid="account-problems">
          {problems.map((p) => (
            <li key={p.field + p.code}>{problemText(p)}</li>
          ))}
        </ul>
      )}
      <form class="fields admin-form" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>{t('accounts.role')}</span>
          <select data-testid="account-role" value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value, scope: '', department: '' })}>
            {Roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('accounts.scope')}</span>
          <select data-testid="account-scope" value={form.scope || (level === 'county' ? county : '')} onChange={set('scope')}>
            {level !== 'county' && <option value="">—</option>}
            {scopes.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name} {u.code}
              </option>
            ))}
          </select>
        </label>
        {(form.role === 'township' || form.role === 'county') && (
          <label class="field">
            <span>{t('accounts.department')}</span>
            <select data-testid="account-department" value={form.department} onChange={set('department')}>
              <option value="">{t('accounts.noDepartment')}</option>
              {Departments.map((d) => (
                <option key={d} value={d}>
                  {t(`dept.${d}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="field">
          <span>{t('accounts.username')}</span>
          <input data-testid="account-username" value={form.username} onInput={set('username')} autocomplete="off" maxLength={32} />
        </label>
        <label class="field">
          <span>{t('accounts.displayName')}</span>
          <input data-testid="account-name" value={form.displayName} onInput={set('displayName')} maxLength={40} />
        </label>
        <label class="field">
          <span>{t('accounts.password')}</span>
          <input data-testid="account-password" type="password" value={form.password} onInput={set('password')} autocomplete="new-password" maxLength={256} />
          <small class="hint">{t('accounts.passwordHint')}</small>
        </label>
        <div class="toolbar">
          <button type="submit" class="primary" data-testid="account-create">
            {t('accounts.create')}
          </button>
        </div>
      </form>
    </div>
  )
}
