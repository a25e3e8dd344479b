import { useState } from 'preact/hooks'
import type { SessionInfo } from '../../sync/device-service'
import { getDevice } from '../device'
import { t } from '../i18n'

/** Shown over the app after idle time: personal data stays hidden until the password is entered. */
export function Lock({ session, onUnlocked, onSwitch }: { session: SessionInfo; onUnlocked: () => void; onSwitch: () => void }) {
  const [password, setPassword] = useState('')
  const [wrong, setWrong] = useState(false)
  async function submit(e: Event) {
    e.preventDefault()
    if (await getDevice().unlock(password)) onUnlocked()
    else setWrong(true)
  }
  return (
    <main>
      <form class="card login" onSubmit={submit} aria-labelledby="lock-title" data-testid="lock-screen">
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p>{t('lock.hint')}</p>
        <p>
          <strong>{session.displayName}</strong>
        </p>
        <label>
          {t('login.password')}
          <input data-testid="unlock-password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autoFocus />
        </label>
        {wrong && (
          <p class="error" role="alert">
            {t('lock.wrong')}
          </p>
        )}
        <button type="submit" data-testid="unlock-submit">
          {t('lock.unlock')}
        </button>
        <button type="button" class="link" onClick={onSwitch}>
          {t('lock.switch')}
        </button>
      </form>
    </main>
  )
}
