import { useEffect, useState } from 'preact/hooks'
import type { MaterialState, MaterialStatus } from '../../core/case-validation'
import type { MaterialSpec } from '../../core/catalogue'
import { t, tk } from '../i18n'
import { Thumb } from './Thumb'

const STATUSES: MaterialStatus[] = ['received', 'to_follow', 'e_certificate', 'missing']

export function MaterialRow(props: {
  spec: MaterialSpec
  state: MaterialState | undefined
  photos: string[]
  readOnly: boolean
  problem: string | null
  onChange: (s: MaterialState) => void
  onPhoto: (file: File) => void
}) {
  const { spec, readOnly } = props
  // Shown at once as chosen; the stored state catches up when the worker answers.
  const [state, setState] = useState<MaterialState>(props.state ?? { status: 'missing', copies: 0, photos: [] })
  useEffect(() => {
    if (props.state) setState(props.state)
  }, [JSON.stringify(props.state)])
  const change = (next: MaterialState) => {
    setState(next)
    props.onChange(next)
  }
  const statuses = STATUSES.filter((s) => s !== 'e_certificate' || spec.eCertificate)
  return (
    <fieldset class="material" data-testid={`material-${spec.id}`} disabled={readOnly}>
      <legend>
        {spec.name} <span class="muted small">{tk(`material.${spec.form}`)} · {spec.required ? t('material.required') : t('material.optional')}</span>
      </legend>
      <div class="segmented" role="radiogroup" aria-label={spec.name}>
        {statuses.map((s) => (
          <label key={s} class={state.status === s ? 'on' : ''}>
            <input
              type="radio"
              name={`m-${spec.id}`}
              value={s}
              checked={state.status === s}
              data-testid={`material-${spec.id}-${s}`}
              onChange={() => change({ ...state, status: s, copies: s === 'received' ? Math.max(state.copies, spec.copies) : state.copies })}
            />
            {tk(`material.${s}`)}
          </label>
        ))}
      </div>
      <label class="copies">
        {t('material.copies')}
        <input type="number" min={0} max={99} value={state.copies} onInput={(e) => change({ ...state, copies: Number(e.currentTarget.value) || 0 })} />
      </label>
      <label class="photo-button">
        {t('material.photo')}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          data-testid={`material-${spec.id}-photo`}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            if (file) props.onPhoto(file)
            e.currentTarget.value = ''
          }}
        />
      </label>
      <div class="thumbs">
        {props.photos.map((h) => (
          <Thumb key={h} hash={h} alt={spec.name} />
        ))}
      </div>
      {props.problem && <small class="error">{props.problem}</small>}
    </fieldset>
  )
}
