// Photos of a case's materials for staff: thumbnails fetched from the server the first time
// (the agent's device took them), and a viewer that zooms and rotates a skewed phone picture.
import { useEffect, useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import { getDevice } from '../device'
import { t } from '../i18n'

function usePhotoUrl(hash: string, thumb: boolean, from: { caseId: CaseId; materialId: string }): string | null | false {
  const [url, setUrl] = useState<string | null | false>(null)
  useEffect(() => {
    let made: string | null = null
    void getDevice()
      .photo(hash, thumb, from)
      .then((blob) => setUrl(blob ? (made = URL.createObjectURL(blob)) : false))
    return () => {
      if (made) URL.revokeObjectURL(made)
    }
  }, [hash, thumb])
  return url
}

export function PhotoThumb({ hash, alt, caseId, materialId, onOpen }: { hash: string; alt: string; caseId: CaseId; materialId: string; onOpen: () => void }) {
  const url = usePhotoUrl(hash, true, { caseId, materialId })
  return (
    <button type="button" class="thumb-button" onClick={onOpen} aria-label={t('review.photo.open', { name: alt })}>
      {url ? <img class="thumb" src={url} alt={alt} data-testid="photo-thumb" /> : <span class="thumb placeholder">{url === false ? t('review.photo.unavailable') : ''}</span>}
    </button>
  )
}

export function PhotoViewer({ hash, alt, caseId, materialId, onClose }: { hash: string; alt: string; caseId: CaseId; materialId: string; onClose: () => void }) {
  const url = usePhotoUrl(hash, false, { caseId, materialId })
  const [zoom, setZoom] = useState(1)
  const [turn, setTurn] = useState(0)
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
      else if (e.key === '+' || e.key === '=') setZoom((z) => Math.min(6, z * 1.25))
      else if (e.key === '-') setZoom((z) => Math.max(0.25, z / 1.25))
      else if (e.key === 'R') setTurn((r) => (r + 90) % 360)
      else return
      e.stopPropagation()
    }
    window.addEventListener('keydown', on, true)
    return () => window.removeEventListener('keydown', on, true)
  }, [])
  return (
    <div class="modal photo-viewer" role="dialog" aria-modal="true" aria-label={alt} data-testid="photo-viewer">
      <div class="viewer-tools">
        <strong>{alt}</strong>
        <button type="button" onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))} aria-label={t('review.photo.zoomOut')}>
          −
        </button>
        <span>{Math.round(zoom * 100)}%</span>
        <button type="button" onClick={() => setZoom((z) => Math.min(6, z * 1.25))} aria-label={t('review.photo.zoomIn')} data-testid="photo-zoom-in">
          +
        </button>
        <button type="button" onClick={() => setTurn((r) => (r + 90) % 360)} data-testid="photo-rotate">
          {t('review.photo.rotate')}
        </button>
        <button type="button" onClick={() => (setZoom(1), setTurn(0))}>
          {t('review.photo.reset')}
        </button>
        <button type="button" onClick={onClose} data-testid="photo-close">
          {t('queue.close')}
        </button>
      </div>
      <div
        class="viewer-stage"
        onWheel={(e) => {
          e.preventDefault()
          setZoom((z) => Math.min(6, Math.max(0.25, z * (e.deltaY < 0 ? 1.1 : 1 / 1.1))))
        }}
      >
        {url ? <img src={url} alt={alt} style={{ transform: `rotate(${turn}deg) scale(${zoom})` }} data-testid="photo-full" /> : <p class="muted">{url === false ? t('review.photo.unavailable') : t('common.loading')}</p>}
      </div>
    </div>
  )
}
