// After an administrator reset the password: the user chooses a new one before anything else.
import { useState } from 'preact/hooks'
import type { SessionInfo } from '../../../sync/device-service'
import { getDevice } from '../../device'
import { t, tk } from '../../i18n'
import './admin.css'

/**
 * `atSignIn`: the server held the sign-in back for a new password (the temporary one was just
 * entered); saving it finishes the sign-in with the new password.
 */
export function ChangePassword({ onDone, atSignIn }: { onDone: (session?: SessionInfo) => void; atSignIn?: { temporary: string } }) {
  const [current, setCurrent] = useState(atSignIn?.temporary ?? '')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [problems, setProblems] = useState<string[]>([])

  async function submit(e: Event) {
    e.preventDefault()
    if (next !== again) return setProblems([t('password.mismatch')])
    if (atSignIn) {
      const r = await getDevice().changePasswordAtSignIn(current, next)
      if (r.ok) return onDone(r.session)
      if (!('problems' in r)) return setProblems([tk(`login.error.${r.code}`, { message: r.message })])
      return setProblems(r.problems.map(problemText))
    }
    const r = await getDevice().changePassword(current, next)
    if (r.ok) return onDone()
    setProblems(r.problems.map(problemText))
  }

  function problemText(p: { code: string }): string {
    return tk(`accounts.problem.${p.code}`) === `accounts.problem.${p.code}` ? tk(`password.problem.${p.code}`, {}) : tk(`accounts.problem.${p.code}`)
  }

  return (
    <section class="card change-password">
      <h1>{t('password.title')}</h1>
      <p>{t('password.why')}</p>
      {problems.length > 0 && (
        <ul class="problems" role="alert" data-testid="password-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <form class="fields" onSubmit={(e) => void submit(e)}>
        <label class="field">
          <span>{t('password.current')}</span>
          <input type="password" data-testid="password-current" autocomplete="current-password" value={current} maxLength={256} onInput={(e) => setCurrent((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('password.next')}</span>
          <input type="password" data-testid="password-next" autocomplete="new-password" value={next} maxLength={256} onInput={(e) => setNext((e.target as HTMLInputElement).value)} />
          <small class="hint">{t('accounts.passwordHint')}</small>
        </label>
        <label class="field">
          <span>{t('password.again')}</span>
          <input type="password" data-testid="password-again" autocomplete="new-password" value={again} maxLength={256} onInput={(e) => setAgain((e.target as HTMLInputElement).value)} />
        </label>
        <div class="toolbar">
          <button type="submit" class="primary" data-testid="password-save">
            {t('password.save')}
          </button>
        </div>
      </form>
    </section>
  )
}
