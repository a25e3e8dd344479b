import { useState } from 'preact/hooks'
import { login, type Session } from '../api'
import { t } from '../i18n'

export function Login({ onLoggedIn }: { onLoggedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const r = await login(username.trim(), password)
    setBusy(false)
    if (r.ok) return onLoggedIn(r.value)
    if (r.code === 'unauthenticated') setError(t('login.error.credentials'))
    else if (r.code === 'too_many_attempts') setError(t('login.error.throttled', { seconds: r.retryAfter ?? 60 }))
    else if (r.code === 'offline') setError(t('login.error.offline'))
    else setError(t('login.error.unknown', { message: r.message }))
  }

  return (
    <form class="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <label>
        {t('login.username')}
        <input data-testid="login-username" name="username" autoComplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
      </label>
      <label>
        {t('login.password')}
        <input data-testid="login-password" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button data-testid="login-submit" type="submit" disabled={busy}>
        {busy ? t('login.busy') : t('login.submit')}
      </button>
    </form>
  )
}
