// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CaseId } from '../../src/core'
import { ListFilters } from '../../src/store/case-list'
import { caseView, demoItem, fakeDevice, mount, settle, syncStatus } from '../helpers/app-device'

const device = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../src/app/device', () => ({ getDevice: () => device.current, Comlink: { proxy: (f: unknown) => f } }))

const { Cases } = await import('../../src/app/pages/Cases')
const { SyncBar } = await import('../../src/app/components/SyncBar')
const { tk } = await import('../../src/app/i18n')
const item = demoItem('高龄津贴')

afterEach(() => {
  document.body.innerHTML = ''
})

describe('Cases', () => {
  it('names a case taken in offline with the same words in its badge and its filter, and a draft without applicant as such', async () => {
    const takenIn = { ...caseView({ item, pending: ['submit'], applicant: '王*英' }).row, id: 'a' as CaseId }
    const empty = { ...caseView({ item }).row, id: 'b' as CaseId, number: 'N-2' }
    const fake = fakeDevice()
    fake.listCases.mockImplementation(async (_q: unknown, _o: number, limit: number) => ({ total: 2, rows: limit ? [takenIn, empty] : [] }))
    device.current = fake
    if (!('ResizeObserver' in globalThis)) (globalThis as Record<string, unknown>).ResizeObserver = class { observe() {} disconnect() {} }
    const root = mount(<Cases />)
    await settle(8)
    const badges = [...root.querySelectorAll('[data-testid=row-status]')].map((b) => b.textContent)
    expect(badges).toEqual(['已收件·待报送', '草稿'])
    expect(root.querySelector('[data-testid=case-row] .badge.pending')).toBeNull() // no second 待同步 badge beside it
    expect(root.querySelector('[data-testid=filter-taken_in]')?.textContent?.trim()).toMatch(/^已收件·待报送/)
    expect(root.querySelector('[data-testid=no-applicant]')?.textContent).toBe('未填写申请人')
    expect(root.textContent).not.toContain('—')
  })

  it('uses the status words for every status filter', () => {
    for (const f of ListFilters) if (`status.${f}` !== tk(`status.${f}`)) expect({ f, label: tk(`filter.${f}`) }).toEqual({ f, label: tk(`status.${f}`) })
  })
})

describe('SyncBar', () => {
  it('counts cases, not changes, and shows photos still to upload with a progress bar', async () => {
    const fake = fakeDevice()
    const status = syncStatus({ unsynced: 16, pending: { cases: 1, photos: 2, photoBytes: 3 * 1024 * 1024 }, running: true, progress: { phase: 'push', pushedCases: 0, totalCases: 1, pulled: 0, photos: { done: 1024 * 1024, total: 3 * 1024 * 1024 } } })
    fake.subscribe.mockImplementation((l: (s: typeof status) => void) => l(status))
    device.current = fake
    const root = mount(<SyncBar />)
    await settle()
    expect(root.querySelector('[data-testid=sync-unsynced]')?.textContent?.trim()).toBe('未同步 1 件')
    expect(root.textContent).not.toContain('16')
    expect(root.querySelector('[data-testid=sync-photos]')?.textContent).toBe('照片待上传 2 张（3.0 MB）')
    const bar = root.querySelector<HTMLProgressElement>('[data-testid=sync-photo-progress] progress')!
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual([String(1024 * 1024), String(3 * 1024 * 1024)])
  })
})
