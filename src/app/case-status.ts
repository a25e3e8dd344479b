// The one status the agent sees for a case, in the badge, the list and the filters alike. A case
// taken in offline is still a draft on the server until the submission syncs: it shows as
// 已收件·待报送 until the server's answer makes it 已报乡镇.

import { DISCARDED_DRAFT, type CaseStatus } from '../core/workflow-model'

export type ShownStatus = CaseStatus | 'taken_in' | 'discarded'

export function shownStatus(status: CaseStatus, pending: readonly string[] | string | null, withdrawalReason?: string | null): ShownStatus {
  const queued = typeof pending === 'string' ? [pending] : (pending ?? [])
  if (queued.includes('discard') || (status === 'withdrawn' && withdrawalReason === DISCARDED_DRAFT)) return 'discarded'
  if (queued.includes('submit') && (status === 'draft' || status === 'returned')) return 'taken_in'
  return status
}
