// Tells the user when a new version of the app has been downloaded. The reload only happens when
// they press the button, so nobody loses input to an automatic update. The service worker's helper
// loads after the first render, outside the first download.
import { useEffect, useState } from 'preact/hooks'
import type { Workbox } from 'workbox-window'
import { getDevice } from './device'
import { t } from './i18n'

let wb: Workbox | null = null

export function UpdateBanner() {
  const [waiting, setWaiting] = useState(false)
  useEffect(() => {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return
    void import('workbox-window').then(({ Workbox }) => {
      wb = new Workbox('/sw.js', { scope: '/' })
      wb.addEventListener('waiting', () => setWaiting(true))
      wb.addEventListener('controlling', () => window.location.reload())
      void wb.register()
    })
  }, [])
  if (!waiting) return null
  return (
    <div class="update" role="status" data-testid="update-ready">
      {t('update.ready')}
      <button
        type="button"
        data-testid="update-reload"
        onClick={() =>
          // Everything typed is stored before the page reloads into the new version.
          void getDevice()
            .flush()
            .then(() => wb?.messageSkipWaiting())
        }
      >
        {t('update.reload')}
      </button>
    </div>
  )
}
