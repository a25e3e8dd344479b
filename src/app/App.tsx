import { useCallback, useEffect, useState } from 'preact/hooks'
import type { SessionInfo, SyncStatus } from '../sync/device-service'
import { SyncBar } from './components/SyncBar'
import { Comlink, getDevice } from './device'
import { useIdle } from './hooks'
import { getLocale, onLocaleChange, setLocale, t } from './i18n'
import { CaseDetail } from './pages/CaseDetail'
import { Cases } from './pages/Cases'
import { Lock } from './pages/Lock'
import { Login } from './pages/Login'
import { NewCase } from './pages/NewCase'
import { ResidentDetail } from './pages/ResidentDetail'
import { Residents } from './pages/Residents'
import { lockMinutes } from './lock-minutes'
import { isAdminTab } from './pages/admin/tabs'
import { navigate, useRoute } from './router'
import { UpdateBanner } from './UpdateBanner'
import { lazyPage } from './components/Lazy'
import { TaskBadge } from './components/TaskBadge'

// Staff screens, the agent's task list, Settings and the (rare) forced password change load as their own
// chunks, each with its messages.
const Admin = lazyPage(() => import('./pages/admin/Admin').then((m) => m.Admin), ['admin'])
const ChangePassword = lazyPage(() => import('./pages/admin/ChangePassword').then((m) => m.ChangePassword), ['admin'])
const QueuePage = lazyPage(() => import('./queue/QueuePage').then((m) => m.QueuePage), ['queue', 'paper'])
const ReviewPage = lazyPage(() => import('./queue/ReviewPage').then((m) => m.ReviewPage), ['queue', 'paper'])
const MetricsPage = lazyPage(() => import('./queue/MetricsPage').then((m) => m.MetricsPage), ['queue'])
const TasksPage = lazyPage(() => import('./queue/TasksPage').then((m) => m.TasksPage), ['queue'])
const DeliverPage = lazyPage(() => import('./queue/DeliverPage').then((m) => m.DeliverPage), ['queue'])
const Settings = lazyPage(() => import('./pages/Settings').then((m) => m.Settings), ['paper'])

export function App() {
  const [, rerender] = useState(0)
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined)
  const [locked, setLocked] = useState(false)
  // Kept as data, not text, so a notice follows a change of language while it shows.
  const [notice, setNotice] = useState<{ unsynced: number } | null>(null)
  const route = useRoute()
  useEffect(() => onLocaleChange(() => rerender((n) => n + 1)), [])
  useEffect(() => {
    void getDevice().currentSession().then(setSession)
  }, [])
  // The official years the deployment loaded, for deadlines counted on this thread (the staff
  // screens; the calendar comes with them, not in the first download).
  useEffect(() => {
    if (session) void Promise.all([getDevice().arrangements(), import('../core/calendar')]).then(([a, c]) => c.loadArrangements(a))
  }, [session])
  // The idle lock drops the data key in the worker too; the password opens it again.
  useIdle(
    session && !locked ? lockMinutes() : 0,
    useCallback(() => {
      setLocked(true)
      void getDevice().lock()
    }, []),
  )
  // A token the server refused is renewed only by entering the password again, on the lock screen.
  useEffect(() => {
    if (session)
      void getDevice().subscribe(
        Comlink.proxy((s: SyncStatus) => {
          if (s.erased) setSession(null) // revoked: the data is gone, the sign-in page says so
          else if (s.sessionExpired) setLocked(true)
          // The server answered password_change_required: an administrator reset the password.
          if (s.passwordChangeRequired) setMustChangePassword(true)
        }),
      )
  }, [session])
  // After an administrator's reset, a new password comes before anything else.
  const [mustChangePassword, setMustChangePassword] = useState(false)
  useEffect(() => {
    if (session && !session.offline)
      void getDevice()
        .adminRequest('GET', '/api/account/password')
        .then((r) => setMustChangePassword((r.body as { mustChange?: boolean } | null)?.mustChange === true))
  }, [session])

  const signedIn = (s: SessionInfo) => {
    setSession(s)
    setLocked(false)
    // Ask the browser not to evict this device's data (it holds work not yet on the server).
    void navigator.storage?.persist?.()
  }
  const logout = async () => {
    const r = await getDevice().logout()
    if (r.ok) {
      setSession(null)
      navigate('/cases')
    } else setNotice({ unsynced: r.unsynced })
  }

  const langButton = (
    <button type="button" class="link" onClick={() => setLocale(getLocale() === 'en' ? 'zh-CN' : 'en')}>
      {t('lang.switch')}
    </button>
  )

  if (session === undefined) return <p class="loading">{t('app.loading')}</p>
  if (!session)
    return (
      <>
        <header class="top">
          <span class="brand">{t('app.name')}</span>
          <span class="tagline">{t('app.tagline')}</span>
          {langButton}
        </header>
        <main>
          <Login onSignedIn={signedIn} />
        </main>
        <UpdateBanner />
      </>
    )
  if (locked) return <Lock session={session} onUnlocked={() => setLocked(false)} onSwitch={() => void logout()} />
  if (mustChangePassword)
    return (
      <main>
        <ChangePassword onDone={() => setMustChangePassword(false)} />
      </main>
    )

  const current = route.page === 'home' ? (session.role === 'agent' ? 'cases' : 'queue') : route.page === 'review' ? 'queue' : route.page === 'deliver' ? 'tasks' : route.page
  const nav = (page: string, path: string, key: Parameters<typeof t>[0], testid: string) => (
    <a href={`#${path}`} data-testid={testid} class={current === page ? 'active' : ''} aria-current={current === page ? 'page' : undefined}>
      {t(key)}
      {page === 'tasks' && <TaskBadge />}
    </a>
  )
  const staff = session.role !== 'agent'
  const page = route.page === 'home' ? (staff ? 'queue' : 'cases') : route.page
  return (
    <>
      <header class="top">
        <span class="brand">{t('app.name')}</span>
        <nav aria-label={t('app.name')}>
          {staff ? nav('queue', '/queue', 'nav.queue', 'nav-queue') : nav('cases', '/cases', 'nav.cases', 'nav-cases')}
          {staff ? session.role !== 'township' && nav('supervision', '/supervision', 'nav.supervision', 'nav-supervision') : nav('tasks', '/tasks', 'nav.tasks', 'nav-tasks')}
          {staff ? nav('metrics', '/metrics', 'nav.metrics', 'nav-metrics') : nav('residents', '/residents', 'nav.residents', 'nav-residents')}
          {staff && nav('cases', '/cases', 'nav.allCases', 'nav-cases')}
          {nav('settings', '/settings', 'nav.settings', 'nav-settings')}
          {session.role === 'admin' && nav('admin', '/admin/org', 'nav.admin', 'nav-admin')}
        </nav>
        <span class="who" data-testid="who">
          {session.displayName}
          <span class="role"> · {t(`role.${session.role}`)}</span>
        </span>
        {langButton}
        <button type="button" class="link" data-testid="logout" onClick={() => void logout()}>
          {t('nav.logout')}
        </button>
      </header>
      <SyncBar />
      {notice && (
        <p class="notice" role="alert" data-testid="notice">
          <span>{t('logout.refused', { count: notice.unsynced })}</span>
          <button type="button" class="link" data-testid="notice-dismiss" aria-label={t('notice.dismiss')} onClick={() => setNotice(null)}>
            ×
          </button>
        </p>
      )}
      <main>
        {page === 'cases' && <Cases canCreate={!staff} />}
        {page === 'queue' && <QueuePage session={session} view="queue" />}
        {page === 'supervision' && <QueuePage session={session} view="supervision" />}
        {route.page === 'review' && <ReviewPage session={session} id={route.id} />}
        {page === 'metrics' && <MetricsPage session={session} />}
        {page === 'tasks' && <TasksPage />}
        {route.page === 'deliver' && <DeliverPage id={route.id} />}
        {route.page === 'case' && (staff ? <ReviewPage session={session} id={route.id} /> : <CaseDetail id={route.id} />)}
        {route.page === 'new' && !staff && <NewCase {...(route.residentId ? { residentId: route.residentId } : {})} />}
        {route.page === 'residents' && <Residents />}
        {route.page === 'resident' && <ResidentDetail id={route.id} />}
        {route.page === 'settings' && <Settings session={session} />}
        {route.page === 'admin' && session.role === 'admin' && <Admin tab={isAdminTab(route.tab) ? route.tab : 'org'} scope={session.scope} />}
      </main>
      <UpdateBanner />
    </>
  )
}
