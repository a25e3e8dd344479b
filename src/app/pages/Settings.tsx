import { useState } from 'preact/hooks'
import type { SessionInfo } from '../../sync/device-service'
import { MIN_PASSPHRASE } from '../../store/transfer-seal'
import { getDevice } from '../device'
import { formatBytes } from '../format'
import { useLoad } from '../hooks'
import { getLocale, setLocale, t } from '../i18n'
import { PaperSettings } from '../components/PaperSettings'
import { lockMinutes, setLockMinutes } from '../lock-minutes'

export { lockMinutes } from '../lock-minutes'

export function Settings({ session }: { session: SessionInfo }) {
  const [message, setMessage] = useState<string | null>(null)
  const [minutes, setMinutes] = useState(lockMinutes())
  const [passphrase, setPassphrase] = useState('')
  const [again, setAgain] = useState('')
  const { value: storage, reload } = useLoad(async () => {
    const est = await navigator.storage?.estimate?.()
    return { supported: typeof navigator.storage?.persisted === 'function', persisted: (await navigator.storage?.persisted?.()) ?? false, usage: est?.usage, quota: est?.quota }
  }, [])
  const { value: villageName } = useLoad(async () => (await getDevice().orgNames()).find((o) => o.code === session.scope)?.name ?? null, [session.scope])

  async function exportFile() {
    if ([...passphrase].length < MIN_PASSPHRASE) return setMessage(t('settings.passphraseShort', { min: MIN_PASSPHRASE }))
    if (passphrase !== again) return setMessage(t('settings.passphraseMismatch'))
    const r = await getDevice().exportUnsynced(passphrase)
    const url = URL.createObjectURL(new Blob([r.json], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `daiban-${session.username}-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.json`
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    setMessage(t('settings.exported', r))
  }
  async function importFile(file: File) {
    try {
      setMessage(t('settings.imported', await getDevice().importFile(await file.text(), passphrase)))
    } catch (e) {
      const wrong = (e as { code?: string }).code === 'wrong_passphrase' || /passphrase/.test((e as Error).message)
      setMessage(wrong ? t('settings.passphraseWrong') : t('settings.importFailed', { message: (e as Error).message }))
    }
  }

  return (
    <section class="card settings">
      <h1>{t('settings.title')}</h1>
      <h2>{t('settings.account')}</h2>
      <p>
        {t('settings.who', { name: session.displayName, username: session.username })} · {t(`role.${session.role}`)}
      </p>
      {session.role === 'agent' && (
        <p data-testid="settings-village">
          {t('settings.village', { name: villageName ?? session.scope })}
        </p>
      )}
      {session.deviceNumber > 0 && <p class="muted">{t('settings.device', { number: session.deviceNumber })}</p>}
      <h2>{t('settings.storage')}</h2>
      {/* What the browser actually granted, asked again each time this page opens. */}
      <p data-testid="storage-persisted" data-granted={storage ? String(storage.persisted) : ''} class={storage && !storage.persisted ? 'pending' : ''}>
        {!storage ? t('common.loading') : !storage.supported ? t('settings.persistUnknown') : storage.persisted ? t('settings.persistGranted') : t('settings.persistDenied')}
      </p>
      {storage?.supported && !storage.persisted && <p data-testid="storage-advice">{t('settings.persistAdvice')}</p>}
      <p>{t('settings.usage', { used: formatBytes(storage?.usage), quota: formatBytes(storage?.quota) })}</p>
      {storage?.supported && !storage.persisted && (
        <button type="button" data-testid="request-persist" onClick={() => void navigator.storage.persist().then(reload)}>
          {t('settings.requestPersist')}
        </button>
      )}
      <h2>{t('settings.transfer')}</h2>
      <p class="hint" data-testid="passphrase-warning">
        <strong>{t('settings.passphraseWarning')}</strong>
      </p>
      <p class="passphrase">
        <label>
          {t('settings.passphrase')}
          <input type="password" autoComplete="new-password" data-testid="transfer-passphrase" value={passphrase} maxLength={256} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        </label>{' '}
        <label>
          {t('settings.passphraseAgain')}
          <input type="password" autoComplete="new-password" data-testid="transfer-passphrase-again" value={again} maxLength={256} onInput={(e) => setAgain(e.currentTarget.value)} />
        </label>
      </p>
      <p>
        <button type="button" data-testid="export-unsynced" onClick={() => void exportFile()}>
          {t('settings.export')}
        </button>{' '}
        <label class="button">
          {t('settings.import')}
          <input type="file" accept="application/json,.json" data-testid="import-file" onChange={(e) => e.currentTarget.files?.[0] && void importFile(e.currentTarget.files[0])} />
        </label>
      </p>
      {message && (
        <p role="status" data-testid="settings-message">
          {message}
        </p>
      )}
      <PaperSettings />
      <h2>{t('settings.language')}</h2>
      <select value={getLocale()} onChange={(e) => setLocale(e.currentTarget.value as 'zh-CN' | 'en')} aria-label={t('settings.language')}>
        <option value="zh-CN">{t('lang.zh-CN')}</option>
        <option value="en">{t('lang.en')}</option>
      </select>
      <h2>
        <label for="lock-minutes">{t('settings.lockAfter')}</label>
      </h2>
      <input
        id="lock-minutes"
        type="number"
        min={0}
        max={240}
        value={minutes}
        onInput={(e) => {
          const n = Math.max(0, Number(e.currentTarget.value) || 0)
          setMinutes(n)
          setLockMinutes(n)
        }}
      />
    </section>
  )
}
