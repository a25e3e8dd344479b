// After an administrator reset the password: the user chooses a new one before anything else.
import { useState } from 'preact/hooks'
import { getDevice } from '../../device'
import { t, tk } from '../../i18n'
import './admin.css'

export function ChangePassword({ onDone }: { onDone: () => void }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [problems, setProblems] = useState<string[]>([])

  async function submit(e: Event) {
    e.preventDefault()
    if (next !== again) return setProblems([t('password.mismatch')])
    const r = await getDevice().changePassword(current, next)
    if (r.ok) return onDone()
    setProblems(r.problems.map((p) => (tk(`accounts.problem.${p.code}`) === `accounts.problem.${p.code}` ? tk(`password.problem.${p.code}`, {}) : tk(`accounts.problem.${p.code}`))))
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
