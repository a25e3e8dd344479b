// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionInfo } from '../../src/sync/device-service'
import { click, fakeDevice, mount, settle } from '../helpers/app-device'

const device = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../src/app/device', () => ({ getDevice: () => device.current, Comlink: { proxy: (f: unknown) => f } }))

const { Settings } = await import('../../src/app/pages/Settings')
const session: SessionInfo = { username: 'agent', userId: 'u1', displayName: '张代办', role: 'agent', scope: '340826106001', deviceId: 'd', deviceNumber: 1, offline: false }

function storage(granted: { now: boolean; afterAsking: boolean } | null) {
  let persisted = granted?.now ?? false
  const persist = vi.fn(async () => (persisted = granted?.afterAsking ?? false))
  Object.defineProperty(navigator, 'storage', {
    configurable: true,
    value: granted ? { persisted: async () => persisted, persist, estimate: async () => ({ usage: 1024, quota: 1024 ** 3 }) } : undefined,
  })
  return persist
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('Settings', () => {
  it('shows the village by name, not by code', async () => {
    const fake = fakeDevice()
    fake.orgNames.mockResolvedValue([{ code: '340826106001', name: '破凉社区' }])
    device.current = fake
    storage({ now: true, afterAsking: true })
    const root = mount(<Settings session={session} />)
    await settle()
    expect(root.querySelector('[data-testid=settings-village]')?.textContent).toBe('所属村（社区）：破凉社区')
    expect(root.textContent).not.toContain('340826106001')
  })

  it('says what the browser granted, and what to do when it did not', async () => {
    device.current = fakeDevice()
    const persist = storage({ now: false, afterAsking: false })
    const root = mount(<Settings session={session} />)
    await settle()
    expect(root.querySelector('[data-testid=storage-persisted]')?.textContent).toContain('浏览器没有授予持久存储')
    expect(root.querySelector('[data-testid=storage-advice]')?.textContent).toContain('添加到主屏幕')
    click(root.querySelector('[data-testid=request-persist]'))
    await settle()
    expect(persist).toHaveBeenCalled()
    expect(root.querySelector('[data-testid=storage-persisted]')?.getAttribute('data-granted')).toBe('false') // asked again, still refused
  })

  it('says so when persistent storage was granted, with no advice', async () => {
    device.current = fakeDevice()
    storage({ now: true, afterAsking: true })
    const root = mount(<Settings session={session} />)
    await settle()
    expect(root.querySelector('[data-testid=storage-persisted]')?.textContent).toBe('浏览器已授予持久存储：数据不会被自动清除。')
    expect(root.querySelector('[data-testid=storage-advice]')).toBeNull()
  })
})
