import { useEffect, useState } from 'preact/hooks'
import type { Session } from './api'
import { getLocale, onLocaleChange, setLocale, t } from './i18n'
import { Home } from './pages/Home'
import { Login } from './pages/Login'
import { UpdateBanner } from './UpdateBanner'

const SESSION_KEY = 'daiban.session'

function storedSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null
  } catch {
    return null
  }
}

export function App() {
  const [, rerender] = useState(0)
  const [session, setSession] = useState<Session | null>(storedSession)
  useEffect(() => onLocaleChange(() => rerender((n) => n + 1)), [])

  const loggedIn = (s: Session) => {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(s))
    setSession(s)
  }
  const logout = () => {
    sessionStorage.removeItem(SESSION_KEY)
    setSession(null)
  }

  return (
    <>
      <header class="top">
        <span class="brand">{t('app.name')}</span>
        <span class="tagline">{t('app.tagline')}</span>
        <button class="link" onClick={() => setLocale(getLocale() === 'en' ? 'zh-CN' : 'en')}>
          {t('lang.switch')}
        </button>
      </header>
      <main>{session ? <Home session={session} onLogout={logout} /> : <Login onLoggedIn={loggedIn} />}</main>
      <UpdateBanner />
    </>
  )
}
