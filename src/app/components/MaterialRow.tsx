import { useEffect, useState } from 'preact/hooks'
import type { MaterialState, MaterialStatus } from '../../core/case-validation'
import type { MaterialSpec } from '../../core/catalogue'
import { materialName } from '../catalogue-labels'
import { t, tk } from '../i18n'
import { lazyPage } from './Lazy'
import { Thumb } from './Thumb'

// Loaded when a photo is first opened: the agent's first download does not carry it.
const PhotoViewer = lazyPage(() => import('./PhotoViewer').then((m) => m.PhotoViewer))

const STATUSES: MaterialStatus[] = ['received', 'to_follow', 'e_certificate', 'missing']

export interface MaterialPhoto {
  hash: string
  quality?: { blurry: boolean; dark: boolean }
}

export function MaterialRow(props: {
  spec: MaterialSpec
  state: MaterialState | undefined
  photos: MaterialPhoto[]
  readOnly: boolean
  problem: { text: string; severity: 'error' | 'warning' } | null
  onChange: (s: MaterialState) => void
  /** Rejects when the file is not a readable image. */
  onPhoto: (file: File) => Promise<unknown>
  onRotate: (hash: string) => Promise<void>
  onDelete: (hash: string) => Promise<void>
}) {
  const { spec, readOnly } = props
  const name = materialName(spec)
  // Shown at once as chosen; the stored state catches up when the worker answers.
  const [state, setState] = useState<MaterialState>(props.state ?? { status: 'missing', copies: 0, photos: [] })
  const [photoError, setPhotoError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [open, setOpen] = useState<string | null>(null)
  useEffect(() => {
    if (props.state) setState(props.state)
  }, [JSON.stringify(props.state)])
  const change = (next: MaterialState) => {
    setState(next)
    props.onChange(next)
  }
  const addPhoto = (file: File) => {
    setPhotoError(null)
    // Not an image at all: said at once, without a trip to the worker.
    if (file.type && !file.type.startsWith('image/')) return setPhotoError(t('photo.notImage', { name: file.name }))
    setBusy(true)
    props
      .onPhoto(file)
      .catch(() => setPhotoError(t('photo.notImage', { name: file.name })))
      .finally(() => setBusy(false))
  }
  const statuses = STATUSES.filter((s) => s !== 'e_certificate' || spec.eCertificate)
  const warnings = props.photos.filter((p) => p.quality?.blurry || p.quality?.dark)
  return (
    // Only the controls that change the material are disabled once the case is taken in: its photos
    // still open full-screen (a disabled fieldset would disable their buttons too).
    <fieldset class="material" data-testid={`material-${spec.id}`}>
      <legend>
        {name} <span class="muted small">{tk(`material.${spec.form}`)} · {spec.required ? t('material.required') : t('material.optional')}</span>
      </legend>
      <div class="segmented" role="radiogroup" aria-label={name}>
        {statuses.map((s) => (
          <label key={s} class={state.status === s ? 'on' : ''}>
            <input
              type="radio"
              name={`m-${spec.id}`}
              value={s}
              checked={state.status === s}
              disabled={readOnly}
              data-testid={`material-${spec.id}-${s}`}
              onChange={() => change({ ...state, status: s, copies: s === 'received' ? Math.max(state.copies, spec.copies) : state.copies })}
            />
            {tk(`material.${s}`)}
          </label>
        ))}
      </div>
      <label class="copies">
        {t('material.copies')}
        <input type="number" min={0} max={99} disabled={readOnly} value={state.copies} onInput={(e) => change({ ...state, copies: Number(e.currentTarget.value) || 0 })} />
      </label>
      <label class="photo-button">
        {busy ? t('photo.working') : t('material.photo')}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          disabled={readOnly}
          data-testid={`material-${spec.id}-photo`}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            if (file) addPhoto(file)
            e.currentTarget.value = ''
          }}
        />
      </label>
      <div class="thumbs">
        {props.photos.map((p) => (
          <button key={p.hash} type="button" class={`thumb-button ${p.quality?.blurry || p.quality?.dark ? 'doubtful' : ''}`} aria-label={`${t('photo.open')}：${name}`} data-testid="photo-open" onClick={() => setOpen(p.hash)}>
            <Thumb hash={p.hash} alt={name} />
          </button>
        ))}
      </div>
      {photoError && (
        <small class="error" role="alert" data-testid={`material-${spec.id}-photo-error`}>
          {photoError}
        </small>
      )}
      {/* Advice to retake is for while the photos can still change. */}
      {!readOnly && warnings.length > 0 && (
        <small class="warning" data-testid={`material-${spec.id}-photo-warning`}>
          {warnings.some((p) => p.quality?.dark) ? t('photo.dark') : t('photo.blurry')}
        </small>
      )}
      {props.problem && <small class={props.problem.severity === 'warning' ? 'warning' : 'error'}>{props.problem.text}</small>}
      {open && (
        <PhotoViewer
          hash={open}
          alt={name}
          editable={!readOnly}
          onClose={() => setOpen(null)}
          onRotate={async () => {
            await props.onRotate(open)
            setOpen(null)
          }}
          onDelete={async () => {
            await props.onDelete(open)
            setOpen(null)
          }}
        />
      )}
    </fieldset>
  )
}
