// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { caseView, click, demoItem, fakeDevice, mount, settle, syncStatus, type } from '../helpers/app-device'

const device = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../src/app/device', () => ({ getDevice: () => device.current, Comlink: { proxy: (f: unknown) => f } }))

const { CaseDetail } = await import('../../src/app/pages/CaseDetail')
const oldAge = demoItem('高龄津贴')
const dibao = demoItem('最低生活保障')

// A complete 高龄津贴 case (test data), the household register to follow (容缺).
const complete = {
  applicant_name: '王秀英',
  applicant_id: '34082619480705002X',
  applicant_phone: '13812345678',
  address: '破凉社区新屋组3号',
  birth_date: '1948-07-05',
  age_band: '80_89',
  bank_account_name: '王秀英',
}
const materials = {
  household_register: { status: 'to_follow' as const, copies: 0, photos: [] },
  id_card: { status: 'received' as const, copies: 1, photos: [] },
  bank_card: { status: 'received' as const, copies: 1, photos: [] },
}

let fake: ReturnType<typeof fakeDevice>
beforeEach(() => {
  fake = fakeDevice(caseView({ item: oldAge, form: complete, materials }))
  device.current = fake
  Element.prototype.scrollIntoView = vi.fn()
})
afterEach(() => {
  document.body.innerHTML = ''
})

async function takeIn(root: HTMLElement) {
  fake.takeIn.mockImplementation(async () => {
    fake.view = caseView({ item: oldAge, form: complete, materials, pending: ['submit'] })
    return { ok: true, problems: [{ path: 'materials.household_register', code: 'material_to_follow', severity: 'warning' as const }] }
  })
  click(root.querySelector('[data-testid=take-in]'))
  await settle()
}

describe('CaseDetail', () => {
  it('shows one status after an offline take-in: 已收件·待报送, and no stale 草稿 or separate 等待同步 line', async () => {
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    expect(root.querySelector('[data-testid=case-status]')?.textContent).toBe('草稿')
    await takeIn(root)
    expect(root.querySelector('[data-testid=case-status]')?.textContent).toBe('已收件·待报送')
    expect(root.textContent).not.toContain('草稿·')
    expect(root.querySelector('[data-testid=case-pending]')).toBeNull()
    expect(root.textContent).toContain('已收件，等待报送乡镇，不能再修改')
    expect(root.textContent).not.toContain('已报送，不能再修改')
  })

  it('shows 已报乡镇 once the server confirmed the submission', async () => {
    fake.view = caseView({ item: oldAge, form: complete, materials, state: { ...caseView({ item: oldAge }).workflow.state!, status: 'submitted', submission: 1 } })
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    expect(root.querySelector('[data-testid=case-status]')?.textContent).toBe('已报乡镇')
  })

  it('reads the case again after a sync, so the server\'s answer turns 已收件·待报送 into 已报乡镇', async () => {
    let listener: ((s: ReturnType<typeof syncStatus>) => void) | null = null
    fake.watch.mockImplementation(async (l) => ((listener = l), l(syncStatus()), 7))
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    await takeIn(root)
    fake.view = caseView({ item: oldAge, form: complete, materials, state: { ...caseView({ item: oldAge }).workflow.state!, status: 'submitted', submission: 1 } })
    listener!(syncStatus({ lastSuccess: '2026-03-02T03:00:00.000Z' }))
    await settle()
    expect(root.querySelector('[data-testid=case-status]')?.textContent).toBe('已报乡镇')
    expect(root.querySelector('[data-testid=taken-in]')).not.toBeNull() // the confirmation stays while the page is open
  })

  it('keeps the take-in confirmation in view: focused, centred, with the case number in large type and a slot for printing', async () => {
    const root = mount(<CaseDetail id="case-1" takenInActions={() => <button data-testid="print-receipt">打印回执</button>} />)
    await settle()
    await takeIn(root)
    const box = root.querySelector<HTMLElement>('[data-testid=taken-in]')!
    expect(box).not.toBeNull()
    expect(document.activeElement).toBe(box)
    expect(Element.prototype.scrollIntoView).toHaveBeenCalledWith(expect.objectContaining({ block: 'center' }))
    expect(box.querySelector('.taken-in-number')?.textContent).toBe('340826106001-260302-001-0001-7')
    expect(box.querySelector('[data-testid=taken-in-actions] [data-testid=print-receipt]')).not.toBeNull()
    // It stands where the 收件 button was: after the materials, not at the top of the page.
    const form = root.querySelector('form')!
    expect(form.contains(box)).toBe(true)
    expect(form.querySelector('[data-testid=material-bank_card]')!.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })

  it('shows a material to follow as a neutral warning, never in the red box, after a successful take-in', async () => {
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    await takeIn(root)
    expect(root.querySelector('[data-testid=take-in-problems]')).toBeNull()
    const warnings = root.querySelector('[data-testid=take-in-warnings]')!
    expect(warnings.getAttribute('role')).toBeNull()
    expect(warnings.textContent).toContain('户口簿：材料后补，将在回执中注明')
    expect(root.querySelector('[data-testid=material-household_register] small.warning')?.textContent).toBe('材料后补，将在回执中注明')
    expect(root.querySelector('[data-testid=material-household_register] small.error')).toBeNull()
  })

  it('lists errors in the red box and warnings apart when the take-in is refused', async () => {
    fake.view = caseView({ item: oldAge, form: { ...complete, address: '' }, materials })
    fake.takeIn.mockResolvedValue({ ok: false, problems: [] })
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    click(root.querySelector('[data-testid=take-in]'))
    await settle()
    const errors = root.querySelector('[data-testid=take-in-problems]')!
    expect(errors.textContent).toContain('以下 1 项需要处理后才能收件')
    expect(errors.textContent).toContain('家庭住址：必填')
    expect(errors.textContent).not.toContain('户口簿')
    expect(root.querySelector('[data-testid=take-in-warnings]')?.textContent).toContain('户口簿')
    // Typing a valid value takes the error away at once.
    type(root.querySelector<HTMLInputElement>('[data-testid=form-field-address]')!, '破凉社区新屋组3号')
    await settle()
    expect(root.querySelector('[data-testid=take-in-problems]')).toBeNull()
    expect(root.querySelector('#f-address-problem')).toBeNull()
  })

  it('computes a derived field as the agent types and shows it read-only', async () => {
    fake.view = caseView({ item: dibao, form: { household_size: '3', monthly_household_income: '900' } })
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    const perCapita = root.querySelector<HTMLInputElement>('[data-testid=form-field-per_capita_income]')!
    expect(perCapita.value).toBe('300.00')
    expect(perCapita.readOnly).toBe(true)
    type(root.querySelector<HTMLInputElement>('[data-testid=form-field-household_size]')!, '4')
    await settle()
    expect(perCapita.value).toBe('225.00')
    expect(fake.setField).toHaveBeenCalledWith('case-1', 'household_size', '4')
  })

  it('fills birth date from the ID number in the item that asks for it', async () => {
    fake.view = caseView({ item: oldAge, form: {} })
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    type(root.querySelector<HTMLInputElement>('[data-testid=form-field-applicant_id]')!, '34082619480705002X')
    await settle()
    const birth = root.querySelector<HTMLInputElement>('[data-testid=form-field-birth_date]')!
    expect(birth.value).toBe('1948-07-05')
    expect(birth.readOnly).toBe(true)
  })

  it('discards a draft only after a confirmation, as a discard command', async () => {
    fake.view = caseView({ item: oldAge, form: {} })
    const root = mount(<CaseDetail id="case-1" />)
    await settle()
    click(root.querySelector('[data-testid=discard-draft]'))
    await settle()
    expect(fake.command).not.toHaveBeenCalled()
    expect(root.querySelector('[data-testid=discard-confirm]')?.textContent).toContain('确定作废这份草稿吗')
    click(root.querySelector('[data-testid=discard-yes]'))
    await settle()
    expect(fake.command).toHaveBeenCalledWith('case-1', { type: 'discard' })
  })

  it('offers no discard once the case is taken in, returned or sent on', async () => {
    for (const v of [
      caseView({ item: oldAge, form: complete, materials, pending: ['submit'] }),
      caseView({ item: oldAge, state: { ...caseView({ item: oldAge }).workflow.state!, status: 'returned', submission: 1, returnedFrom: 'submitted' } }),
      caseView({ item: oldAge, state: { ...caseView({ item: oldAge }).workflow.state!, status: 'submitted', submission: 1 } }),
    ]) {
      fake.view = v
      const root = mount(<CaseDetail id="case-1" />)
      await settle()
      expect(root.querySelector('[data-testid=discard-draft]')).toBeNull()
      root.remove()
    }
  })
})
