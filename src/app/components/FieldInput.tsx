import { useState } from 'preact/hooks'
import { validateField, type CaseProblem } from '../../core/case-validation'
import type { FieldSpec } from '../../core/catalogue'
import { tk } from '../i18n'

export function problemText(p: CaseProblem): string {
  return tk(`problem.${p.code}`, p.params ?? {})
}

/** One generated form field. Every keystroke is saved through `onSave`; problems show once touched. */
export function FieldInput(props: { field: FieldSpec; value: unknown; readOnly: boolean; toFix?: boolean; showProblems: boolean; onSave: (v: string) => void }) {
  const { field, value, readOnly, showProblems, onSave } = props
  const [text, setText] = useState(value === null || value === undefined ? '' : String(value))
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
              {o.label}
            </option>
          ))}
        </select>
      )
      break
    case 'date':
      input = <input {...common} type="date" />
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
    case 'text':
      input = <input {...common} type="text" maxLength={field.maxLength} />
      break
  }
  return (
    <div class={`field ${problems.length ? 'invalid' : ''} ${props.toFix ? 'to-fix' : ''}`}>
      <label for={id}>
        {field.label}
        {field.required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      {input}
      {field.help && <small class="muted">{field.help}</small>}
      {problems.length > 0 && (
        <small class="error" id={`${id}-problem`} role="alert">
          {problems.map(problemText).join('；')}
        </small>
      )}
    </div>
  )
}
