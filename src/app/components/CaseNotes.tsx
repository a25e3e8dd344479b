// The notes of a case and the box to add one: the same on the agent's case page and the clerk's review.
import { useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import type { CaseView } from '../../sync/device-service'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { t } from '../i18n'

export function CaseNotes({ caseId, notes, onAdded }: { caseId: CaseId; notes: CaseView['notes']; onAdded: () => void }) {
  const [note, setNote] = useState('')
  return (
    <section class="card">
      <h2>{t('case.notes')}</h2>
      <ul class="notes">
        {notes.map((n) => (
          <li key={n.id}>
            <span class="muted">
              {formatTime(n.at)} · {t(`role.${n.role}`)}
            </span>{' '}
            {n.text}
          </li>
        ))}
      </ul>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault()
          if (note.trim()) void getDevice().addNote(caseId, note.trim()).then(() => (setNote(''), onAdded()))
        }}
      >
        <input value={note} placeholder={t('case.notePlaceholder')} aria-label={t('case.notePlaceholder')} onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit">{t('case.addNote')}</button>
      </form>
    </section>
  )
}
