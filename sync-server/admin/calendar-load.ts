// Loading a year's official working-day arrangement. Deadlines counted before it was loaded rest
// on an estimate for that year (weekends only, marked 预计): they are counted again on the new
// calendar, and each changed case gets its new clock both in the cases table (queues, metrics) and
// in its document as a server-written update, so devices show the new deadline on their next sync.

import * as Y from 'yjs'
import { calendar, loadArrangements, recountClock, writeWorkflow, type Calendar, type WorkflowState, type YearArrangement } from '../../src/core'
import type { CaseRecord, Storage } from '../storage'
import { routeCase } from '../sync/routing'
import { dbOf } from './db'

/** The log's device id of these rewrites (never a real device, so every device pulls them). */
export const CALENDAR_DEVICE = 'server-calendar'
const BATCH = 200

export interface LoadedArrangement {
  year: number
  /** Cases whose deadline was counted again. */
  recounted: number
}

/** Stores and installs an arrangement, then counts the estimated deadlines again. */
export async function loadArrangement(storage: Storage, arrangement: YearArrangement, by: { userId: string; deviceId: string }): Promise<LoadedArrangement> {
  await storage.putArrangement(arrangement, by.userId)
  const before = calendar()
  loadArrangements([arrangement])
  const recounted = await recountEstimated(storage, before, calendar(), by)
  await storage.appendAudit([{ caseId: '', seq: null, userId: by.userId, deviceId: by.deviceId, action: 'calendar:load', detail: { year: arrangement.year, holidays: arrangement.holidays.length, workdays: arrangement.workdays.length, recounted }, at: Date.now() }])
  return { year: arrangement.year, recounted }
}

function recountState(s: WorkflowState, before: Calendar, after: Calendar): WorkflowState {
  return s.clock ? { ...s, clock: recountClock(s.clock, before, after) } : s
}

/** Every case whose due day is marked estimated, routed again (and its clock recounted). */
export async function recountEstimated(storage: Storage, before: Calendar, after: Calendar, by: { userId: string }): Promise<number> {
  const ids = (await dbOf(storage).selectFrom('cases').select('id').where('due_estimated', '=', 1).execute()).map((r) => r.id)
  let recounted = 0
  for (let i = 0; i < ids.length; i += BATCH) {
    recounted += await storage.syncTransaction(async (tx) => {
      const recs = await tx.getCases(ids.slice(i, i + BATCH))
      let seq = await tx.headSeq()
      const now = Date.now()
      const entries = []
      const changed: CaseRecord[] = []
      for (const rec of recs.values()) {
        const state = recountState(rec.state, before, after)
        let next: CaseRecord = { ...rec, state, deadline: state.clock?.deadline ?? null }
        if (state !== rec.state && JSON.stringify(state.clock) !== JSON.stringify(rec.state.clock)) {
          const doc = new Y.Doc({ guid: rec.id })
          const log = await tx.logOf(rec.id, 0)
          if (log.length) Y.applyUpdate(doc, Y.mergeUpdates(log.map((e) => e.data)))
          const sv = Y.encodeStateVector(doc)
          writeWorkflow(doc, state, null)
          entries.push({ seq: ++seq, caseId: rec.id, village: rec.village, township: rec.township, county: rec.county, audience: rec.audience, origin: 'server' as const, deviceId: CALENDAR_DEVICE, userId: by.userId, data: Y.encodeStateAsUpdate(doc, sv), createdAt: now })
          doc.destroy()
          next = { ...next, headSeq: seq }
        }
        // Routing counts the acceptance notice and the due day again on the new calendar.
        const routed = routeCase(next)
        if (JSON.stringify(routed.routing) !== JSON.stringify(rec.routing) || next.headSeq !== rec.headSeq) changed.push(routed)
      }
      if (entries.length) await tx.appendMany(entries)
      if (changed.length) await tx.upsertCases(changed)
      return changed.length
    })
  }
  return recounted
}
