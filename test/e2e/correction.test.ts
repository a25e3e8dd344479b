import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { CaseId } from '../../src/core'
import { hasChromium } from '../helpers/browser'
import { signIn, useServerAndBrowser } from '../helpers/signed-in'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'

const allSynced = (page: Page) => page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.getAttribute('data-unsynced') === '0', null, { timeout: 20_000 })

describe.skipIf(!hasChromium())('correction and account safety (Chromium)', () => {
  const app = useServerAndBrowser()

  it('shows the township correction list, opens exactly those items, and resubmits', async () => {
    const page = await app.browser.context.newPage()
    await page.goto(app.server.url)
    await signIn(page, 'agent')
    await page.getByTestId('new-case').click()
    await page.getByTestId('item-search').fill('低保') // found by its everyday name
    await page.getByTestId('item-option').first().click()
    const fill = async (id: string, v: string) => page.getByTestId(`form-field-${id}`).fill(v)
    await fill('applicant_name', '李桂兰')
    await fill('applicant_id', '340826195603120019')
    await fill('applicant_phone', '13912345678')
    await fill('address', '破凉社区塘埂组12号')
    await fill('household_size', '3')
    await fill('monthly_household_income', '900')
    expect(await page.getByTestId('form-field-per_capita_income').inputValue()).toBe('300.00') // 900 ÷ 3, calculated
    await fill('reason', '丈夫因病丧失劳动能力，家庭收入低于低保标准。')
    for (const testid of await page.locator('[data-testid^="form-field-"][required]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!)))
      if (!(await page.getByTestId(testid).inputValue())) {
        const el = page.getByTestId(testid)
        if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption({ index: 1 })
        else await el.fill(testid.includes('date') ? '2026-01-01' : '6222021234567890123')
      }
    for (const radio of await page.locator('[data-testid$="-received"]').all()) await radio.check({ force: true })
    await page.getByTestId('take-in').click()
    await page.getByTestId('taken-in').waitFor()
    const caseId = page.url().split('/').pop() as CaseId
    await allSynced(page)

    // The township returns it, naming the one field to correct.
    const township = await newDevice(app.server.url, 'township')
    await township.engine.sync()
    await township.store.queueCommand(caseId, { type: 'return', corrections: [{ path: 'form.address', label: '家庭住址', reason: '住址不完整，请写明门牌号' }] })
    await township.engine.sync()

    await page.getByTestId('sync-now').click()
    await page.getByTestId('nav-cases').click()
    await page.getByTestId('filter-returned').click()
    await page.getByTestId('case-row').first().click()
    await page.getByTestId('corrections').getByText('住址不完整，请写明门牌号').waitFor()
    expect(await page.getByTestId('form-field-address').getAttribute('readonly')).toBeNull()
    expect(await page.getByTestId('form-field-applicant_name').getAttribute('readonly')).not.toBeNull()
    await page.getByTestId('form-field-address').fill('破凉社区塘埂组12号附1号')
    await page.getByTestId('take-in').click()
    await page.getByTestId('taken-in').waitFor()
    await allSynced(page)
    await township.engine.sync()
    expect((await township.db.cases.get(caseId))?.status).toBe('submitted')
    expect((await township.store.doc(caseId)).getMap('form').get('address')).toBe('破凉社区塘埂组12号附1号')
    await page.close()
  })

  it('brings a new case to an online township device without anyone pressing sync', async () => {
    const page = await app.browser.context.newPage()
    await page.goto(app.server.url)
    await signIn(page, 'township')
    await allSynced(page)
    await page.locator('[data-testid=sync-status][data-live="1"]').waitFor() // the hint channel is open
    const agent = await newDevice(app.server.url, 'agent')
    const caseId = await takeInCase(agent, itemNamed(agent, '生育登记'), 77, false)
    await agent.store.setField(caseId, 'applicant_name', '赵小红')
    await agent.store.queueCommand(caseId, { type: 'submit' })
    expect(await page.getByText('赵*红').count()).toBe(0)
    await agent.engine.sync()
    // The server hints the township device over /api/live; its list then shows the case.
    await page.getByText('赵*红').waitFor({ timeout: 15_000 })
    await page.close()
  })

  it('refuses to sign out while something is unsynced, and locks after idle time', async () => {
    const page = await app.browser.context.newPage()
    await page.goto(app.server.url)
    await page.evaluate(() => localStorage.setItem('daiban.lockMinutes', '0.02')) // about a second
    await page.reload()
    await signIn(page, 'agent')
    await app.browser.context.setOffline(true)
    await page.getByTestId('new-case').click()
    await page.getByTestId('item-option').first().click()
    await page.getByTestId('form-field-applicant_name').fill('张三')
    await page.getByTestId('logout').click()
    await page.getByRole('alert').getByText('不能退出').waitFor()
    expect(await page.getByTestId('sync-status').isVisible()).toBe(true)

    await page.getByTestId('lock-screen').waitFor({ timeout: 10_000 })
    expect(await page.getByText('张三').count()).toBe(0) // nothing personal behind the lock
    await page.getByTestId('unlock-password').fill('wrong')
    await page.getByTestId('unlock-submit').click()
    await page.getByRole('alert').waitFor()
    await page.evaluate(() => localStorage.setItem('daiban.lockMinutes', '10'))
    await page.getByTestId('unlock-password').fill('demo')
    await page.getByTestId('unlock-submit').click()
    expect(await page.getByTestId('form-field-applicant_name').inputValue()).toBe('张三')
    await app.browser.context.setOffline(false)
  })
})
