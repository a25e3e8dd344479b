// Case records for queue and metric tests and the queue benchmark, written straight into storage:
// each state is reached by real workflow commands, and the routing columns are derived step by
// step as a push would (so received, accepted and completed days are the days of the steps).
import {
  apply,
  audienceOf,
  countyOf,
  maskIdNumber,
  maskName,
  townshipOf,
  type Actor,
  type CaseId,
  type Command,
  type DivisionCode,
  type ServiceItem,
  type UserId,
  type VillageCode,
  type WorkflowState,
} from '../../src/core'
import { demoItems } from '../../sync-server/demo-data'
import type { CaseRecord, Storage } from '../../sync-server/storage'
import { routeCase } from '../../sync-server/sync/routing'
import { nameSearchKey } from '../../sync-server/sync/summary'
import { newCaseRecord } from '../../sync-server/sync/case-record'
import { sampleCommand } from './workflow'

export const itemByName = (name: string): ServiceItem => {
  const item = demoItems.find((i) => i.name === name)
  if (!item) throw new Error(`no item ${name}`)
  return item
}

const actorFor = (role: 'agent' | 'township' | 'county' | 'admin', village: VillageCode): Actor => ({
  userId: `u-${role}` as UserId,
  role,
  scope: (role === 'agent' ? village : role === 'township' ? townshipOf(village) : countyOf(village)) as DivisionCode,
})

/** A command as a role on a day, with payload fields over the sample command's (e.g. a delivery's trips). */
export type Step = [Command['type'], 'agent' | 'township' | 'county' | 'admin', string, Record<string, unknown>?] | ['claim', string, string]

export interface CaseSpec {
  id: string
  village: string
  item: ServiceItem
  name: string
  idNumber?: string
  /** Day the agent created it ('YYYY-MM-DD'); then each step on its own day (China noon). */
  created: string
  steps: Step[]
  device?: string
  agent?: string
}

const noon = (day: string) => Date.parse(`${day}T04:00:00.000Z`)

/** The number of a test case: unique per id, in the real shape. */
function numberOf(spec: CaseSpec, n: number): string {
  const date = spec.created.slice(2).replace(/-/g, '')
  return `${spec.village}-${date}-001-${String(n % 10000).padStart(4, '0')}-${String(Math.floor(n / 10000) % 10)}`
}

let serial = 0

export function buildCase(spec: CaseSpec): CaseRecord {
  const village = spec.village as VillageCode
  const item = spec.item
  const at = noon(spec.created)
  const summary = {
    item: item.code,
    itemName: item.name,
    applicant: maskName(spec.name),
    applicantId: spec.idNumber ? maskIdNumber(spec.idNumber) : '',
    createdAt: new Date(at).toISOString(),
    createdBy: spec.agent ?? 'u-agent',
    device: spec.device ?? 'device-1',
    nameKey: nameSearchKey(spec.name),
  }
  let rec: CaseRecord = { ...newCaseRecord({ id: spec.id as CaseId, number: numberOf(spec, serial++), village, item, summary, now: at }), headSeq: 1 }
  let state: WorkflowState = rec.state
  rec = routeCase(rec)
  for (const step of spec.steps) {
    const t = noon(step[2])
    if (step[0] === 'claim' && step.length === 3 && !['agent', 'township', 'county', 'admin'].includes(step[1])) {
      state = { ...state, claim: { userId: step[1], name: step[1], role: 'township', since: new Date(t).toISOString(), until: new Date(t + 30 * 60_000).toISOString() } } as WorkflowState
    } else {
      const [type, role, day, over] = step as [Command['type'], 'agent' | 'township' | 'county' | 'admin', string, Record<string, unknown>?]
      const r = apply(state, { ...sampleCommand(type, day), ...over } as Command, actorFor(role, village))
      if (!r.ok) throw new Error(`${spec.id}: ${type} by ${role} refused: ${r.message}`)
      state = r.state
    }
    rec = routeCase({ ...rec, state, status: state.status, deadline: state.clock?.deadline ?? null, reachedCounty: state.reachedCounty, audience: audienceOf(state), updatedAt: t })
  }
  return rec
}

/** Writes records in bulk (one transaction per 2,000), bypassing the sync protocol. */
export async function insertCases(storage: Storage, records: CaseRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 2000) {
    const chunk = records.slice(i, i + 2000)
    await storage.syncTransaction((tx) => tx.upsertCases(chunk))
  }
}
