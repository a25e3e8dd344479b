// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServiceItem } from '../../src/core'
import { caseView, demoItem, fakeDevice, mount, settle } from '../helpers/app-device'

const device = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../src/app/device', () => ({ getDevice: () => device.current, Comlink: { proxy: (f: unknown) => f } }))

const { CaseDetail } = await import('../../src/app/pages/CaseDetail')
const { NewCase } = await import('../../src/app/pages/NewCase')
const { setLocale } = await import('../../src/app/i18n')
const dibao = demoItem('最低生活保障')

beforeEach(() => setLocale('en'))
afterEach(() => {
  setLocale('zh-CN')
  document.body.innerHTML = ''
})

describe('English', () => {
  it('shows the item name, field labels and material names from the catalogue in English', async () => {
    device.current = fakeDevice(caseView({ item: dibao }))
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Minimum living allowance (dibao)')
    expect(root.querySelector('label[for=f-per_capita_income]')?.textContent).toContain('Monthly income per person')
    expect(root.querySelector('[data-testid=material-id_card] legend')?.textContent).toContain('Resident ID card')
    expect(root.querySelector('[data-testid=take-in]')?.textContent).toBe('Take in')
    expect(root.textContent).not.toMatch(/家庭月人均收入|居民身份证|最低生活保障/)
  })

  it('falls back to the Chinese name where the catalogue has no English one', async () => {
    const bare: ServiceItem = { ...dibao, nameEn: undefined, fields: dibao.fields.map((f) => (f.id === 'reason' ? { ...f, labelEn: undefined } : f)), materials: dibao.materials.map((m) => (m.id === 'id_card' ? { ...m, labelEn: undefined } : m)) }
    device.current = fakeDevice(caseView({ item: bare }))
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('最低生活保障')
    expect(root.querySelector('label[for=f-reason]')?.textContent).toContain('申请理由')
    expect(root.querySelector('[data-testid=material-id_card] legend')?.textContent).toContain('居民身份证')
  })

  it('lists the items to pick in English with their materials', async () => {
    device.current = fakeDevice()
    const root = mount(<NewCase />)
    await settle()
    const option = [...root.querySelectorAll('[data-testid=item-option]')].find((o) => o.textContent?.includes('Minimum living allowance'))!
    expect(option.textContent).toContain('Authorisation to check family finances')
    expect(option.textContent).not.toContain('户口簿')
  })
})
