// A stand-in for the worker's DeviceService in component tests: the case page and lists talk to
// this object instead of a Web Worker. Each test sets the view it wants and spies on the calls.
import { render, type VNode } from 'preact'
import { vi } from 'vitest'
import catalogue from '../../demo/catalogue.json'
import type { CaseId, CaseProblem, MaterialState, ServiceItem, WorkflowState } from '../../src/core'
import type { CaseView, SyncStatus } from '../../src/sync/device-service'
import { draft } from './workflow'

export const demoItems = catalogue.items as ServiceItem[]
export const demoItem = (name: string): ServiceItem => demoItems.find((i) => i.name === name)!

export interface ViewOptions {
  item: ServiceItem
  form?: Record<string, unknown>
  materials?: Record<string, MaterialState>
  state?: WorkflowState | null
  pending?: string[]
  photos?: CaseView['photos']
  applicant?: string
}

export function caseView(o: ViewOptions): CaseView {
  const state = o.state === undefined ? draft() : o.state
  return {
    id: 'case-1' as CaseId,
    item: o.item,
    meta: { item: o.item.code, itemVersion: o.item.version, createdAt: '2026-03-02T02:00:00.000Z' } as CaseView['meta'],
    form: o.form ?? {},
    materials: o.materials ?? {},
    notes: [],
    workflow: { state, events: [] },
    row: {
      id: 'case-1' as CaseId,
      number: '340826106001-260302-001-0001-7',
      item: o.item.code,
      itemName: o.item.name,
      village: '340826106001',
      status: state?.status ?? 'draft',
      pendingCommand: o.pending?.at(-1) ?? null,
      applicant: o.applicant ?? '',
      applicantId: '',
      deadline: null,
      createdAt: '2026-03-02T02:00:00.000Z',
      updatedAt: '2026-03-02T02:00:00.000Z',
      unsynced: 0,
      problem: null,
    },
    pendingCommands: o.pending ?? [],
    photos: o.photos ?? [],
    masked: [],
    problems: [],
  }
}

export function syncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return { online: true, live: false, unsynced: 0, pending: { cases: 0, photos: 0, photoBytes: 0 }, lastSuccess: null, running: false, lastError: null, progress: null, sessionExpired: false, passwordChangeRequired: false, erased: false, ...over }
}

/** A fake device whose methods are spies; `view` is what getCase answers. */
export function fakeDevice(initial: CaseView | null = null) {
  const d = {
    view: initial,
    getCase: vi.fn(async () => d.view),
    setField: vi.fn(async () => {}),
    setMaterial: vi.fn(async () => {}),
    addPhoto: vi.fn(async () => 'hash'),
    rotatePhoto: vi.fn(async () => 'hash2'),
    removePhoto: vi.fn(async () => {}),
    photo: vi.fn(async () => new Blob([new Uint8Array([1])], { type: 'image/jpeg' })),
    takeIn: vi.fn(async (): Promise<{ ok: boolean; problems: CaseProblem[] }> => ({ ok: true, problems: [] })),
    command: vi.fn(async () => {}),
    addNote: vi.fn(async () => {}),
    subscribe: vi.fn((l: (s: SyncStatus) => void) => l(syncStatus())),
    watch: vi.fn(async (l: (s: SyncStatus) => void) => (l(syncStatus()), 1)),
    unsubscribe: vi.fn(async () => {}),
    syncNow: vi.fn(async () => syncStatus()),
    caseCounts: vi.fn(async () => ({})),
    listCases: vi.fn(async (_q: unknown, _offset: number, _limit: number): Promise<{ total: number; rows: CaseView['row'][] }> => ({ total: 0, rows: [] })),
    searchResidents: vi.fn(async () => []),
    orgNames: vi.fn(async (): Promise<{ code: string; name: string }[]> => []),
    catalogue: vi.fn(async () => demoItems),
    exportUnsynced: vi.fn(),
    importFile: vi.fn(),
  }
  return d
}

/** Lets promises and Preact's render queue settle. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 10)) // Preact runs effects on the next animation frame
}

export function mount(node: VNode): HTMLElement {
  const root = document.createElement('div')
  document.body.append(root)
  render(node, root)
  return root
}

export function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
}

export function click(el: Element | null): void {
  if (!el) throw new Error('nothing to click')
  ;(el as HTMLElement).click()
}
