// Throwing away a draft never taken in: asked once more, then sent as a `discard` command, which
// the server records in its audit trail and refuses for anything but a draft.
import { useState } from 'preact/hooks'
import { t } from '../i18n'

export function DiscardDraft({ onDiscard }: { onDiscard: () => Promise<void> }) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  if (!asking)
    return (
      <button type="button" class="secondary" data-testid="discard-draft" onClick={() => setAsking(true)}>
        {t('case.discard')}
      </button>
    )
  return (
    <div class="confirm" role="alertdialog" aria-label={t('case.discard')} data-testid="discard-confirm">
      <p>{t('case.discardConfirm')}</p>
      <button
        type="button"
        class="danger"
        disabled={busy}
        data-testid="discard-yes"
        onClick={() => {
          setBusy(true)
          void onDiscard().finally(() => setBusy(false))
        }}
      >
        {t('case.discardYes')}
      </button>{' '}
      <button type="button" class="secondary" data-testid="discard-no" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </div>
  )
}
