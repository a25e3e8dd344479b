import { useEffect, useState } from 'preact/hooks'
import type { SyncStatus } from '../../sync/device-service'
import { Comlink, getDevice } from '../device'
import { formatBytes, formatTime } from '../format'
import { t } from '../i18n'

/** Always visible: online or not, how much is unsynced, when the last sync was, and "sync now". */
export function SyncBar() {
  const [s, setS] = useState<SyncStatus | null>(null)
  const [online, setOnline] = useState(navigator.onLine)
  useEffect(() => {
    void getDevice().subscribe(Comlink.proxy(setS))
    const on = () => setOnline(navigator.onLine)
    window.addEventListener('online', on)
    window.addEventListener('offline', on)
    return () => {
      window.removeEventListener('online', on)
      window.removeEventListener('offline', on)
    }
  }, [])
  if (!s) return null
  const p = s.progress
  return (
    <div class={`syncbar ${online ? 'online' : 'offline'}`} data-testid="sync-status" role="status" aria-live="polite" data-unsynced={s.unsynced} data-live={s.live ? '1' : '0'}>
      <span class="dot" aria-hidden="true" />
      <span>{online ? t('sync.online') : t('sync.offline')}</span>
      {online && s.live && <span class="muted" title={t('sync.liveHint')}>{t('sync.live')}</span>}
      <span data-testid="sync-unsynced" data-cases={s.pending.cases}>
        {s.pending.cases === 1 ? t('sync.unsyncedOne') : s.pending.cases ? t('sync.unsynced', { count: s.pending.cases }) : s.unsynced ? t('sync.unsynced', { count: 1 }) : t('sync.allSynced')}
      </span>
      {s.pending.photos > 0 && (
        <span class="muted" data-testid="sync-photos">
          {t('sync.photosPending', { count: s.pending.photos, size: formatBytes(s.pending.photoBytes) })}
        </span>
      )}
      <span class="muted">{s.lastSuccess ? t('sync.last', { time: formatTime(s.lastSuccess) }) : t('sync.never')}</span>
      {s.lastError && <span class="error">{t('sync.error', { message: s.lastError })}</span>}
      {p && p.totalCases > 0 && (
        <span class="progress">
          <progress max={p.totalCases} value={p.pushedCases} aria-label={t('sync.progress', { done: p.pushedCases, total: p.totalCases })} />
          {t('sync.progress', { done: p.pushedCases, total: p.totalCases })}
        </span>
      )}
      {p?.photos && p.photos.total > 0 && (
        <span class="progress" data-testid="sync-photo-progress">
          <progress max={p.photos.total} value={p.photos.done} aria-label={t('sync.photosProgress', { done: formatBytes(p.photos.done), total: formatBytes(p.photos.total) })} />
          {t('sync.photosProgress', { done: formatBytes(p.photos.done), total: formatBytes(p.photos.total) })}
        </span>
      )}
      <button type="button" data-testid="sync-now" disabled={s.running || !online} onClick={() => void getDevice().syncNow().then(setS)}>
        {s.running ? t('sync.running') : t('sync.now')}
      </button>
    </div>
  )
}
