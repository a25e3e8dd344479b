import { useEffect, useRef, useState } from 'preact/hooks'
import type { SessionInfo } from '../../sync/device-service'
import { getDevice } from '../device'
import { t, tk } from '../i18n'
import { lazyPage } from '../components/Lazy'

// Only after an administrator's reset: loads with the administration messages.
const ChangePassword = lazyPage(() => import('./admin/ChangePassword').then((m) => m.ChangePassword), ['admin'])

export function Login({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [known, setKnown] = useState<{ username: string; displayName: string }[]>([])
  /** The server held the sign-in back: an administrator reset the password. */
  const [mustChange, setMustChange] = useState(false)
  const typed = useRef(false)
  const [erased, setErased] = useState<string | null>(null)
  useEffect(() => {
    void getDevice().erasedAt().then(setErased)
  }, [])
  useEffect(() => {
    void getDevice()
      .knownUsers()
      .then((users) => {
        setKnown(users)
        // Suggest the last account, but never in a field someone is already typing in.
        if (users[0] && !typed.current) setUsername(users[0].username)
      })
  }, [])

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const r = await getDevice().login(username, password)
    setBusy(false)
    if (r.ok) return onSignedIn(r.session)
    if (r.code === 'password_change_required') return setMustChange(true)
    setError(r.code === 'throttled' ? t('login.error.throttled', { seconds: r.retryAfter ?? 60 }) : tk(`login.error.${r.code}`, { message: r.message }))
  }

  if (mustChange)
    return (
      <ChangePassword atSignIn={{ temporary: password }} onDone={(s) => s && onSignedIn(s)} />
    )

  return (
    <form class="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {erased && (
        <div class="problems" role="alert" data-testid="erased-notice">
          <strong>{t('erased.title')}</strong>
          <p>{t('erased.notice', { time: new Date(erased).toLocaleString() })}</p>
          <button type="button" class="link" onClick={() => void getDevice().dismissErased().then(() => setErased(null))}>
            {t('erased.ok')}
          </button>
        </div>
      )}
      {!navigator.onLine && <p class="hint">{t('login.offlineHint')}</p>}
      <label>
        {t('login.username')}
        <input data-testid="login-username" name="username" autoComplete="username" list="known-users" value={username} onFocus={() => (typed.current = true)} onInput={(e) => ((typed.current = true), setUsername(e.currentTarget.value))} required />
      </label>
      <datalist id="known-users">
        {known.map((u) => (
          <option key={u.username} value={u.username}>
            {u.displayName}
          </option>
        ))}
      </datalist>
      <label>
        {t('login.password')}
        <input data-testid="login-password" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
      </label>
      {error && (
        <p class="error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <button data-testid="login-submit" type="submit" disabled={busy}>
        {busy ? t('login.busy') : t('login.submit')}
      </button>
    </form>
  )
}
