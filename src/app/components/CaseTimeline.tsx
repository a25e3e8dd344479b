// A case's history as both the agent's case page and the staff review page show it: taken in, each
// workflow event (drawn by the page), then the decisions still waiting to sync.
import type { ComponentChildren, VNode } from 'preact'
import type { CaseView } from '../../sync/device-service'
import { formatTime } from '../format'
import { t, tk } from '../i18n'

type CaseEvent = CaseView['workflow']['events'][number]

export function CaseTimeline({ view, createdBy, event }: { view: CaseView; createdBy?: ComponentChildren; event: (e: CaseEvent) => VNode }) {
  return (
    <section class="card">
      <h2>{t('case.timeline')}</h2>
      <ol class="timeline" data-testid="timeline">
        <li>
          {formatTime(view.meta.createdAt)} · {tk('status.draft')}
          {createdBy}
        </li>
        {view.workflow.events.map(event)}
        {view.pendingCommands.map((c, i) => (
          <li key={`p${i}`} class="pending">
            {tk(`command.${c}`)} · {t('list.pending')}
          </li>
        ))}
      </ol>
    </section>
  )
}
