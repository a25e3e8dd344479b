// List rows with queue facts, for the queue and metrics tests (what the device stores per case).
import type { CaseId, CaseStatus } from '../../src/core'
import type { CaseRow, QueueFacts } from '../../src/store/db'

let n = 0

export function queueRow(over: Partial<Omit<CaseRow, 'queue'>> & { status: CaseStatus }, facts: Partial<QueueFacts> = {}): CaseRow {
  n++
  return {
    id: `case${String(n).padStart(6, '0')}` as CaseId,
    number: `340826106001-260301-001-${String(n).padStart(4, '0')}-X`,
    item: 'DEMO-1',
    itemName: '临时救助',
    village: '340826106001',
    pendingCommand: null,
    applicant: '李*兰',
    applicantId: '340826********0019',
    deadline: null,
    createdAt: '2026-03-01T01:00:00Z',
    updatedAt: '2026-03-01T01:00:00Z',
    unsynced: 0,
    problem: null,
    searchText: `340826106001-260301-001-${String(n).padStart(4, '0')}-x 李桂兰`,
    ...over,
    queue: {
      department: 'civil_affairs',
      level: 'township',
      kind: 'promised',
      limitDays: 15,
      submittedAt: null,
      decidedAt: null,
      deadlineEstimated: false,
      paused: false,
      suspended: false,
      submission: 1,
      holder: null,
      rating: null,
      device: 'dev-agent-1',
      acceptedOn: null,
      completedOn: null,
      onTime: null,
      returns: 0,
      trips: null,
      ratingComment: null,
      ratedAt: null,
      followUp: null,
      ...facts,
    },
  }
}
