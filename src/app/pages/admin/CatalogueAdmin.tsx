// Service items with their versions; an edit is saved as the next version (published versions
// never change). Problems come back all at once, each with the path of the field.
import { useState } from 'preact/hooks'
import type { ServiceItem } from '../../../core'
import { useLoad } from '../../hooks'
import { t } from '../../i18n'
import { adminCall } from './api'

interface Entry {
  code: string
  name: string
  versions: ServiceItem[]
}

export function CatalogueAdmin() {
  const { value, reload } = useLoad(() => adminCall<{ items: Entry[] }>('GET', '/api/admin/catalogue'), [])
  const [editing, setEditing] = useState<Entry | null>(null)
  const [text, setText] = useState('')
  const [problems, setProblems] = useState<string[]>([])
  const [message, setMessage] = useState<string | null>(null)
  const items = value?.ok ? value.data.items : []

  function edit(e: Entry) {
    const { version: _v, ...rest } = e.versions.at(-1)!
    setEditing(e)
    setText(JSON.stringify(rest, null, 2))
    setProblems([])
    setMessage(null)
  }
  async function save() {
    let item: unknown
    try {
      item = JSON.parse(text)
    } catch (err) {
      return setProblems([t('catalogue.badJson', { message: (err as Error).message })])
    }
    const r = await adminCall<{ item: ServiceItem }>('POST', `/api/admin/catalogue/${encodeURIComponent(editing!.code)}/versions`, { item })
    if (r.ok) {
      setMessage(t('catalogue.savedVersion', { version: r.data.item.version }))
      setEditing(null)
      reload()
    } else {
      const list = (r.details as { problems?: unknown[] } | null)?.problems
      setProblems(Array.isArray(list) ? list.map(String) : [r.message])
    }
  }

  return (
    <div class="admin-catalogue">
      {message && (
        <p class="success" role="status" data-testid="catalogue-message">
          {message}
        </p>
      )}
      <ul class="items admin-items" data-testid="catalogue-list">
        {items.map((e) => (
          <li key={e.code}>
            <div>
              <strong>{e.name}</strong> <span class="mono muted">{e.code}</span>
              <div class="muted small">
                {t('catalogue.versions')}: {e.versions.map((v) => `v${v.version}`).join(' · ')} — {t('catalogue.current', { version: e.versions.at(-1)!.version })}
              </div>
            </div>
            <button type="button" class="link" data-testid={`edit-${e.code}`} onClick={() => edit(e)}>
              {t('catalogue.edit')}
            </button>
          </li>
        ))}
      </ul>
      {editing && (
        <div class="card catalogue-editor">
          <h2>
            {editing.name} → v{editing.versions.at(-1)!.version + 1}
          </h2>
          <p class="hint">{t('catalogue.editHint')}</p>
          {problems.length > 0 && (
            <div class="problems" role="alert" data-testid="catalogue-problems">
              <p>{t('catalogue.problems', { count: problems.length })}</p>
              <ul>
                {problems.map((p) => (
                  <li key={p} class="mono">
                    {p}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <textarea class="mono" rows={18} data-testid="catalogue-json" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} spellcheck={false} />
          <div class="toolbar">
            <button type="button" class="primary" data-testid="catalogue-save" onClick={() => void save()}>
              {t('catalogue.save', { version: editing.versions.at(-1)!.version + 1 })}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('catalogue.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  )
}
