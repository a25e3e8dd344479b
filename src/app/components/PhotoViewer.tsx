// The agent's full-screen view of one photo: look closely before take-in, turn it upright, or
// delete it. Turning re-encodes the photo in the worker, so the township sees it as shown here.
import { useEffect, useRef, useState } from 'preact/hooks'
import { getDevice } from '../device'
import { t } from '../i18n'

export function PhotoViewer(props: { hash: string; alt: string; editable: boolean; onRotate: () => Promise<void>; onDelete: () => Promise<void>; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const close = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    let made: string | null = null
    void getDevice()
      .photo(props.hash)
      .then((blob) => blob && setUrl((made = URL.createObjectURL(blob))))
    return () => {
      if (made) URL.revokeObjectURL(made)
    }
  }, [props.hash])
  useEffect(() => {
    close.current?.focus()
    const on = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose()
    window.addEventListener('keydown', on)
    return () => window.removeEventListener('keydown', on)
  }, [])
  const run = (fn: () => Promise<void>) => {
    setBusy(true)
    void fn().finally(() => setBusy(false))
  }
  return (
    <div class="modal photo-viewer" role="dialog" aria-modal="true" aria-label={props.alt} data-testid="photo-viewer">
      <div class="viewer-tools">
        <strong>{props.alt}</strong>
        {props.editable && (
          <>
            <button type="button" disabled={busy} data-testid="photo-rotate" onClick={() => run(props.onRotate)}>
              {t('photo.rotate')}
            </button>
            {confirming ? (
              <button type="button" class="danger" disabled={busy} data-testid="photo-delete-confirm" onClick={() => run(props.onDelete)}>
                {t('photo.deleteConfirm')}
              </button>
            ) : (
              <button type="button" class="secondary" data-testid="photo-delete" onClick={() => setConfirming(true)}>
                {t('photo.delete')}
              </button>
            )}
          </>
        )}
        <button type="button" ref={close} data-testid="photo-close" onClick={props.onClose}>
          {t('photo.close')}
        </button>
      </div>
      <div class="viewer-stage">{url ? <img src={url} alt={props.alt} data-testid="photo-full" /> : <p class="muted">{busy ? t('photo.working') : t('common.loading')}</p>}</div>
    </div>
  )
}
