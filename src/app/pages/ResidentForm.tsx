import { useState } from 'preact/hooks'
import type { ResidentInput, ResidentProblem } from '../../store/residents'
import { validateIdNumber, validateMobile } from '../../core/resident'
import { getDevice } from '../device'
import { t, tk, type MessageKey } from '../i18n'

const FIELDS: { key: keyof Omit<ResidentInput, 'id'>; label: MessageKey; type: 'text' | 'tel' }[] = [
  { key: 'name', label: 'resident.name', type: 'text' },
  { key: 'idNumber', label: 'resident.idNumber', type: 'text' },
  { key: 'phone', label: 'resident.phone', type: 'tel' },
  { key: 'address', label: 'resident.address', type: 'text' },
]

/** Registers or edits a resident; the ID check character and the mobile are checked as typed. */
export function ResidentForm({ initial, onSaved, onCancel }: { initial?: ResidentInput; onSaved: (id: string) => void; onCancel?: () => void }) {
  const [r, setR] = useState<ResidentInput>(initial ?? { name: '', idNumber: '', phone: '', address: '' })
  const [problems, setProblems] = useState<ResidentProblem[]>([])
  const live = (key: string): string | null => {
    if (key === 'idNumber' && r.idNumber.length >= 18 && !validateIdNumber(r.idNumber).valid) return tk('problem.id_number')
    if (key === 'phone' && r.phone.length >= 11 && !validateMobile(r.phone).valid) return tk('problem.mobile')
    const p = problems.find((x) => x.field === key)
    return p ? tk(`problem.${p.code}`) : null
  }
  async function save(e: Event) {
    e.preventDefault()
    const result = await getDevice().saveResident(r)
    if (result.ok) onSaved(result.resident.id)
    else setProblems(result.problems)
  }
  return (
    <form class="resident-form" onSubmit={save} data-testid="resident-form">
      {FIELDS.map((f) => {
        const problem = live(f.key)
        return (
          <div class={`field ${problem ? 'invalid' : ''}`} key={f.key}>
            <label for={`r-${f.key}`}>{t(f.label)}</label>
            <input id={`r-${f.key}`} data-testid={`resident-${f.key}`} type="text" inputMode={f.type} value={r[f.key]} aria-invalid={Boolean(problem)} onInput={(e) => setR({ ...r, [f.key]: e.currentTarget.value })} />
            {problem && (
              <small class="error" role="alert">
                {problem}
              </small>
            )}
          </div>
        )
      })}
      <button type="submit" data-testid="resident-save">
        {t('resident.save')}
      </button>
      {onCancel && (
        <button type="button" class="link" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </form>
  )
}
