// Builds what a paper prints from the case data alone (the device's copy of the case document and
// the item's rules), so the printed content and its digest follow from the case, never from UI text.

import type { CaseMeta, WorkflowEvent } from './case-doc'
import type { MaterialState } from './case-validation'
import type { ServiceItem } from './catalogue'
import { addWorkingDays } from './calendar'
import { dayInChina } from './day'
import { countyOf, townshipOf } from './org'
import type { PaperContent, PaperKind } from './paper-content'
import { maskFieldValue } from './personal-data'
import type { VillageCode } from './brand'
import type { WorkflowState } from './workflow-model'

export interface PaperSource {
  kind: PaperKind
  meta: Partial<CaseMeta>
  form: Record<string, unknown>
  materials: Record<string, MaterialState>
  workflow: { state: WorkflowState | null; events: WorkflowEvent[] }
  item: ServiceItem
  /** Division code → name (org names the device holds). */
  names: ReadonlyMap<string, string>
  agentName: string
  /** When the case was taken in, if the device has no submit event yet (offline take-in). */
  takenInAt: string
  reprint: boolean
}

/** The workflow event a paper records: the first take-in for a receipt, the latest decision of its kind otherwise. */
const EVENT_OF: Record<PaperKind, string> = { receipt: 'submit', correction: 'return', acceptance: 'accept', completion: 'complete', refusal: 'refuse' }

export function paperEventAt(kind: PaperKind, events: readonly WorkflowEvent[], fallback: string): string {
  const of = events.filter((e) => e.type === EVENT_OF[kind])
  const e = kind === 'receipt' ? of[0] : of[of.length - 1]
  return e?.at ?? fallback
}

/** Whether a paper of this kind was printed already since its event (a second print is a reprint). */
export function isReprint(kind: PaperKind, eventAt: string, printed: readonly { kind: PaperKind; at: string }[]): boolean {
  // A case has one receipt; a notice is reprinted when one was printed since its decision (issue
  // times are whole seconds, so the event time is compared at that precision too).
  const since = Math.floor(Date.parse(eventAt) / 1000) * 1000
  return printed.some((p) => p.kind === kind && (kind === 'receipt' || Date.parse(p.at) >= since))
}

/** The catalogue names the body generically (乡镇人民政府（民政办）, 县民政局): the notice names the actual one. */
export function issuingBody(body: string, township: string, county: string): string {
  if (body.startsWith('乡镇') && township) return township + body.slice(2)
  if (body.startsWith('县') && county) return county + body.slice(1)
  return body
}

function office(s: PaperSource, township: string, county: string): string {
  if (s.kind === 'completion') return issuingBody(s.item.implementingBody, township, county)
  if (s.workflow.state?.reachedCounty && s.kind !== 'receipt') return `${county}政务服务中心`
  return `${township}便民服务中心`
}

export function buildPaperContent(s: PaperSource): PaperContent {
  const village = (s.meta.village ?? '') as VillageCode
  const name = (code: string) => s.names.get(code) ?? code
  const township = village ? name(townshipOf(village)) : ''
  const county = village ? name(countyOf(village)) : ''
  const text = (id: string | undefined) => (id && typeof s.form[id] === 'string' ? (s.form[id] as string) : '')
  const idField = s.item.fields.find((f) => f.type === 'id-number')
  const phoneField = s.item.fields.find((f) => f.type === 'phone')
  const nameField = s.item.fields.find((f) => f.fromResident === 'name') ?? s.item.fields.find((f) => f.id === 'applicant_name')
  const st = s.workflow.state
  const eventAt = paperEventAt(s.kind, s.workflow.events, s.takenInAt)
  let expectedOn = ''
  let expectedEstimated = false
  if (s.kind === 'receipt') {
    const r = addWorkingDays(dayInChina(Date.parse(eventAt)), s.item.promisedLimitDays)
    ;[expectedOn, expectedEstimated] = [r.date, r.estimated]
  } else if (s.kind === 'acceptance' && st?.clock) {
    ;[expectedOn, expectedEstimated] = [st.clock.deadline, st.clock.estimated]
  }
  return {
    kind: s.kind,
    caseNumber: s.meta.number ?? '',
    itemName: s.item.name,
    station: village ? name(village) : '',
    township,
    office: s.kind === 'receipt' ? '' : office(s, township, county),
    residentName: text(nameField?.id),
    residentIdMasked: idField && text(idField.id) ? maskFieldValue(idField, text(idField.id)) : '',
    residentPhoneMasked: phoneField && text(phoneField.id) ? maskFieldValue(phoneField, text(phoneField.id)) : '',
    agent: s.agentName,
    eventAt,
    limitDays: s.item.promisedLimitDays,
    expectedOn,
    expectedEstimated,
    materials: s.item.materials.map((m) => {
      const state = s.materials[m.id]
      return { name: m.name, form: m.form, copies: state?.copies ?? m.copies, status: state?.status ?? (m.eCertificate ? 'e_certificate' : 'to_follow') }
    }),
    delivery: st?.delivery?.method ?? 'agent',
    corrections: s.kind === 'correction' ? (st?.corrections ?? []).map((c) => ({ label: c.label, reason: c.reason })) : [],
    correctionDue: s.kind === 'correction' ? (st?.correctionDue ?? '') : '',
    decision: s.kind === 'completion' ? (st?.decision?.decision ?? '') : '',
    reason: s.kind === 'completion' ? (st?.decision?.reason ?? '') : s.kind === 'refusal' ? (st?.refusal?.reason ?? '') : '',
    appeal: s.kind === 'refusal' ? (st?.refusal?.appeal ?? '') : '',
    reprint: s.reprint,
    clockNote: s.kind === 'correction' ? correctionClockNote(st) : '',
  }
}

/** The clock rule a correction notice states: before acceptance nothing runs; after it, pause or restart by item rule. */
export function correctionClockNote(st: WorkflowState | null): string {
  if (!st || !st.returnedFrom || st.returnedFrom === 'submitted') return '本次补正在受理之前，办理时限自受理之日起计算。'
  return st.rules.correctionClock === 'restart' ? '补正材料提交后，办理时限重新计算。' : '补正期间暂停计算办理时限，补正后继续计算。'
}
