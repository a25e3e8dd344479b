// Org tree of the county and import from a national division-code list (all rows checked first).
import { useState } from 'preact/hooks'
import type { OrgUnit } from '../../../core'
import { useLoad } from '../../hooks'
import { t, tk } from '../../i18n'
import { adminCall } from './api'

interface ImportSummary {
  townships: number
  villages: number
  added: number
  renamed: number
  imported: boolean
}
type RowProblem = { line: number; code: string; message: string }

export function OrgAdmin() {
  const { value, reload } = useLoad(() => adminCall<{ units: OrgUnit[] }>('GET', '/api/admin/org'), [])
  const [csv, setCsv] = useState('')
  const [result, setResult] = useState<{ summary?: ImportSummary; rows?: RowProblem[]; error?: string } | null>(null)
  const units = value?.ok ? value.data.units : []
  const townships = units.filter((u) => u.level === 'township')

  async function send(dryRun: boolean) {
    const r = await adminCall<ImportSummary>('POST', '/api/admin/org/import', { csv, dryRun })
    if (r.ok) {
      setResult({ summary: r.data })
      if (!dryRun) reload()
    } else {
      const rows = (r.details as { rows?: RowProblem[] } | null)?.rows
      setResult(rows ? { rows } : { error: r.message })
    }
  }

  return (
    <div class="admin-org">
      {value && !value.ok && <p class="error">{t('admin.failed', { message: value.message })}</p>}
      <p>
        {t('org.townships', { count: townships.length })} · {t('org.villages', { count: units.filter((u) => u.level === 'village').length })}
      </p>
      <ul class="org-tree" data-testid="org-tree">
        {townships.map((tw) => (
          <li key={tw.code}>
            <strong>{tw.name}</strong> <span class="mono muted">{tw.code}</span>
            <ul>
              {units
                .filter((v) => v.parent === tw.code)
                .map((v) => (
                  <li key={v.code}>
                    {v.name} <span class="mono muted">{v.code}</span>
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
      <h2>{t('org.import')}</h2>
      <p class="hint">{t('org.importHint')}</p>
      <label class="field">
        <span>{t('org.csv')}</span>
        <textarea data-testid="org-csv" rows={8} value={csv} onInput={(e) => setCsv((e.target as HTMLTextAreaElement).value)} placeholder={t('org.placeholder')} />
      </label>
      <label class="field">
        <span>{t('org.file')}</span>
        <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => void (e.target as HTMLInputElement).files?.[0]?.text().then(setCsv)} />
      </label>
      <div class="toolbar">
        <button type="button" data-testid="org-check" disabled={!csv.trim()} onClick={() => void send(true)}>
          {t('org.check')}
        </button>
        <button type="button" class="primary" data-testid="org-import" disabled={!csv.trim()} onClick={() => void send(false)}>
          {t('org.doImport')}
        </button>
      </div>
      {result?.summary && (
        <p class="success" role="status" data-testid="org-result">
          {t(result.summary.imported ? 'org.imported' : 'org.checked', { townships: result.summary.townships, villages: result.summary.villages, added: result.summary.added, renamed: result.summary.renamed })}
        </p>
      )}
      {result?.error && <p class="error">{t('admin.failed', { message: result.error })}</p>}
      {result?.rows && (
        <div class="problems" role="alert" data-testid="org-problems">
          <p>{t('org.rowProblems', { count: result.rows.length })}</p>
          <ul>
            {result.rows.map((p) => (
              <li key={`${p.line}-${p.code}`}>
                {t('org.line', { line: p.line })}: {tk(`org.problem.${p.code}`)} <span class="muted mono">{p.message.match(/\d{12}/)?.[0] ?? ''}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
