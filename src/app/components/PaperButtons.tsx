// Print buttons of a case: the receipt once it is taken in, and the notice of each decision it
// has. A second print of the same paper is a reprint (marked 补打, recorded in the case). The print
// views and the QR encoder load on the first print, not with the screen.
import { useState } from 'preact/hooks'
import type { PaperKind } from '../../core'
import type { CaseView } from '../../sync/device-service'
import { paperFormat } from '../../print/paper-format'
import { getDevice } from '../device'
import { t, type MessageKey } from '../i18n'
import { usePaperMessages } from './paper-messages'

const EVENT_KINDS: [string, PaperKind][] = [
  ['return', 'correction'],
  ['accept', 'acceptance'],
  ['complete', 'completion'],
  ['refuse', 'refusal'],
]

export function availablePapers(view: Pick<CaseView, 'workflow' | 'row' | 'pendingCommands'>): PaperKind[] {
  const kinds: PaperKind[] = []
  const status = view.workflow.state?.status ?? view.row.status
  if (status !== 'draft' || view.pendingCommands.includes('submit')) kinds.push('receipt')
  const types = new Set(view.workflow.events.map((e) => e.type))
  for (const [type, kind] of EVENT_KINDS) if (types.has(type)) kinds.push(kind)
  return kinds
}

export function PaperButtons({ view, onPrinted }: { view: CaseView; onPrinted?: () => void }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const ready = usePaperMessages()
  const kinds = availablePapers(view)
  if (!kinds.length || !ready) return null
  async function print(kind: PaperKind) {
    setBusy(true)
    setError(null)
    try {
      const format = paperFormat()
      const [{ PaperSheet }, { printNode }] = await Promise.all([import('../../print/PaperSheet'), import('../../print/print')])
      const p = await getDevice().printPaper(view.id, kind)
      await printNode(<PaperSheet content={p.content} payload={p.payload} seq={p.seq} origin={location.origin} format={format} />, format)
      onPrinted?.()
    } catch (e) {
      setError(t('paper.printFailed', { message: (e as Error).message }))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div class="paper-buttons" data-testid="paper-buttons" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center', marginTop: '0.5rem' }}>
      {kinds.map((k) => (
        <button key={k} type="button" disabled={busy} data-testid={`print-${k}`} onClick={() => void print(k)}>
          {t(`paper.print.${k}` as MessageKey)}
        </button>
      ))}
      <span class="muted"> {t('paper.format', { format: t(`paper.format.${paperFormat()}` as MessageKey) })}</span>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
