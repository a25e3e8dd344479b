import { useState } from 'preact/hooks'
import { validateField, type CaseProblem } from '../../core/case-validation'
import type { FieldSpec } from '../../core/catalogue'
import { fieldLabel, optionLabel } from '../catalogue-labels'
import { t, tk } from '../i18n'

export function problemText(p: CaseProblem): string {
  return tk(`problem.${p.code}`, p.params ?? {})
}

function hintOf(field: FieldSpec): string | null {
  if (field.derive) return 'fromId' in field.derive ? t('field.fromId') : t('field.derived')
  if (field.type === 'bank-account') return t('field.bankHint')
  if (field.type === 'phone' && field.landline) return t('field.landlineHint')
  return null
}

/**
 * One generated form field. Every keystroke is saved through `onSave`; problems show once touched
 * and go as soon as the value is valid. A derived field shows `computed` and cannot be typed in.
 */
export function FieldInput(props: { field: FieldSpec; value: unknown; computed?: string; readOnly: boolean; toFix?: boolean; showProblems: boolean; onSave: (v: string) => void }) {
  const { field, value, showProblems, onSave } = props
  const derived = field.derive !== undefined
  const readOnly = props.readOnly || derived
  const [typed, setText] = useState(value === null || value === undefined ? '' : String(value))
  const text = derived ? (props.computed ?? typed) : typed
  const [touched, setTouched] = useState(false)
  const problems = touched || showProblems ? validateField(field, text) : []
  const id = `f-${field.id}`
  const common = {
    id,
    'data-testid': `form-field-${field.id}`,
    value: text,
    readOnly,
    disabled: readOnly && field.type === 'select',
    required: field.required,
    'aria-invalid': problems.length > 0,
    'aria-describedby': problems.length ? `${id}-problem` : undefined,
    onBlur: () => setTouched(true),
    onInput: (e: Event) => {
      const v = (e.currentTarget as HTMLInputElement).value
      setText(v)
      onSave(v)
    },
  }
  let input
  switch (field.type) {
    case 'textarea':
      input = <textarea {...common} rows={3} maxLength={field.maxLength} />
      break
    case 'select':
      input = (
        <select {...common} onChange={common.onInput}>
          <option value="">—</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )
      break
    case 'date':
      input = derived ? <input {...common} type="text" class="mono" /> : <input {...common} type="date" />
      break
    case 'number':
    case 'money':
      input = <input {...common} type="text" inputMode="decimal" />
      break
    case 'phone':
      input = <input {...common} type="tel" inputMode="tel" autoComplete="off" />
      break
    case 'id-number':
      input = <input {...common} type="text" autoComplete="off" maxLength={18} class="mono" />
      break
    case 'bank-account':
      input = <input {...common} type="text" inputMode="numeric" autoComplete="off" maxLength={40} class="mono" />
      break
    case 'text':
      input = <input {...common} type="text" maxLength={field.maxLength} />
      break
  }
  const hint = hintOf(field)
  return (
    <div class={`field ${problems.length ? 'invalid' : ''} ${props.toFix ? 'to-fix' : ''} ${derived ? 'derived' : ''}`}>
      <label for={id}>
        {fieldLabel(field)}
        {field.required && !derived && <span class="req" aria-hidden="true"> *</span>}
      </label>
      {input}
      {hint && <small class="muted">{hint}</small>}
      {field.help && <small class="muted">{field.help}</small>}
      {problems.length > 0 && (
        <small class="error" id={`${id}-problem`} role="alert">
          {problems.map(problemText).join('；')}
        </small>
      )}
    </div>
  )
}
