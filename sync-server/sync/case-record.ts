// The record of a case the server has just taken in: its item's routing facts, a fresh workflow
// (a draft in its village) and the summary the queues list. Push builds it from a device's first
// update; test and bench data sets build theirs the same way.

import { audienceOf, countyOf, initialWorkflow, townshipOf, type CaseId, type ServiceItem, type VillageCode } from '../../src/core'
import type { CaseRecord } from '../storage'

export interface NewCase {
  id: CaseId
  number: string
  village: VillageCode
  item: ServiceItem
  summary: CaseRecord['summary']
  /** When it was taken in (ms): its createdAt and updatedAt. */
  now: number
}

export function newCaseRecord({ id, number, village, item, summary, now }: NewCase): CaseRecord {
  const state = initialWorkflow(village, { level: item.level, kind: item.kind, limitDays: item.promisedLimitDays, correctionClock: item.correctionClock, department: item.department })
  return {
    id,
    number,
    itemCode: item.code,
    itemVersion: item.version,
    village,
    township: townshipOf(village),
    county: countyOf(village),
    level: item.level,
    department: item.department,
    status: state.status,
    deadline: null,
    reachedCounty: false,
    state,
    summary,
    audience: audienceOf(state),
    headSeq: 0,
    createdAt: now,
    updatedAt: now,
  }
}
