// The village agent's intake on a tablet (800×1280) in real Chromium: one status until the server
// confirms, the sync bar counting cases, the take-in confirmation in view, photos checked in the
// worker, the top bar and back link at tablet size, and a notice that follows the language.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodePng } from '../../scripts/lib/png'
import { hasChromium, launchBrowser, type BrowserSession } from '../helpers/browser'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

const SHOTS = process.env.SHOTS_DIR
async function shot(page: Page, name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/intake-${name}-800x1280.png` })
}

// Test pictures: a sharp page of black strokes on white, a dark one, and an edgeless gradient.
const sharp = encodePng(1200, 800, 3, (x, y) => ((x >> 3) % 3 === 0 && (y >> 4) % 2 === 0 ? [20, 20, 20] : [235, 235, 230]))
const dark = encodePng(1200, 800, 3, (x, y) => ((x >> 3) % 3 === 0 ? [8, 8, 8] : [30, 30, 30]))
const inView = (page: Page, testid: string) =>
  page.getByTestId(testid).evaluate((el) => {
    const r = el.getBoundingClientRect()
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0
  })

describe.skipIf(!hasChromium())('intake on a tablet (Chromium, 800×1280)', () => {
  let server: ServerProcess
  let browser: BrowserSession
  let page: Page
  const errors: string[] = []
  beforeAll(async () => {
    server = await startServerProcess()
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await page.setViewportSize({ width: 800, height: 1280 })
    await page.goto(server.url)
    await page.getByTestId('login-username').fill('agent')
    await page.getByTestId('login-password').fill('demo')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('sync-status').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('keeps the signed-in name in the top bar and makes 返回 a 44 px target', async () => {
    expect(await page.getByTestId('who').isVisible()).toBe(true)
    expect(await page.getByTestId('who').textContent()).toContain('代办员')
    await page.getByTestId('new-case').click()
    await page.getByTestId('item-search').fill('高龄')
    await page.getByTestId('item-option').first().click()
    const back = await page.getByTestId('back').boundingBox()
    expect(back!.height).toBeGreaterThanOrEqual(44)
    expect(back!.width).toBeGreaterThanOrEqual(44)
  })

  it('checks photos in the worker: an unreadable file is named, a dark one warned about, and a photo can be turned and deleted', async () => {
    await browser.context.setOffline(true)
    await page.getByTestId('material-bank_card-photo').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from('this is not a png') })
    expect(await page.getByTestId('material-bank_card-photo-error').textContent()).toContain('“scan.png”不是可以打开的图片')
    await page.getByTestId('material-bank_card').scrollIntoViewIfNeeded()
    await shot(page, 'photo-error')
    await page.getByTestId('material-bank_card-photo').setInputFiles({ name: 'dark.png', mimeType: 'image/png', buffer: dark })
    expect(await page.getByTestId('material-bank_card-photo-warning').textContent()).toBe('照片太暗，请在光线充足处重拍')
    await page.getByTestId('material-id_card-photo').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: sharp })
    await page.getByTestId('material-id_card').getByTestId('photo-thumb').waitFor()
    expect(await page.getByTestId('material-id_card-photo-warning').count()).toBe(0)
    await shot(page, 'photos')

    // Full screen, turned a quarter: the stored picture is now taller than wide.
    await page.getByTestId('material-id_card').getByTestId('photo-open').click()
    await page.getByTestId('photo-full').waitFor()
    expect(await page.getByTestId('photo-full').evaluate((img: HTMLImageElement) => img.naturalWidth > img.naturalHeight)).toBe(true)
    await page.getByTestId('photo-rotate').click()
    await page.getByTestId('photo-viewer').waitFor({ state: 'detached' })
    await page.getByTestId('material-id_card').getByTestId('photo-open').click()
    await page.getByTestId('photo-full').waitFor()
    expect(await page.getByTestId('photo-full').evaluate((img: HTMLImageElement) => img.naturalHeight > img.naturalWidth)).toBe(true)
    await page.getByTestId('photo-close').click()

    // The dark one goes.
    await page.getByTestId('material-bank_card').getByTestId('photo-open').click()
    await page.getByTestId('photo-delete').click()
    await page.getByTestId('photo-delete-confirm').click()
    await page.getByTestId('photo-viewer').waitFor({ state: 'detached' })
    await page.waitForFunction(() => !document.querySelector('[data-testid=material-bank_card] [data-testid=photo-open]'))
    expect(await page.getByTestId('material-bank_card-photo-warning').count()).toBe(0)
  })

  it('takes a case in offline: one status, the confirmation where the agent looks, one case unsynced; then 已报乡镇', async () => {
    const fill = (id: string, v: string) => page.getByTestId(`form-field-${id}`).fill(v)
    await fill('applicant_name', '王秀英')
    await fill('applicant_id', '34082619480705002X')
    await fill('applicant_phone', '0556-1234567') // a landline, allowed for this field
    await fill('address', '破凉社区新屋组3号')
    expect(await page.getByTestId('form-field-birth_date').inputValue()).toBe('1948-07-05')
    await page.getByTestId('form-field-age_band').selectOption({ index: 1 })
    await fill('bank_account_name', '王秀英')
    await page.getByTestId('material-household_register-to_follow').check({ force: true })
    await page.getByTestId('material-id_card-received').check({ force: true })
    await page.getByTestId('material-bank_card-received').check({ force: true })
    await page.getByTestId('take-in').scrollIntoViewIfNeeded()
    await page.getByTestId('take-in').click()
    await page.getByTestId('taken-in').waitFor()
    await page.waitForTimeout(600) // the smooth scroll settles
    expect(await inView(page, 'taken-in')).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('taken-in')
    expect(await page.getByTestId('taken-in-number').textContent()).toMatch(/^340826106001-\d{6}-\d{3}-\d{4}-[\dX]$/)
    expect(await page.getByTestId('case-status').textContent()).toBe('已收件·待报送')
    expect(await page.getByTestId('take-in-problems').count()).toBe(0)
    expect(await page.getByTestId('take-in-warnings').textContent()).toContain('户口簿')
    expect((await page.getByTestId('sync-unsynced').textContent())?.trim()).toBe('未同步 1 件')
    await shot(page, 'taken-in')

    await browser.context.setOffline(false)
    await page.getByTestId('sync-now').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=case-status]')?.textContent === '已报乡镇', null, { timeout: 20_000 })
    expect((await page.getByTestId('sync-unsynced').textContent())?.trim()).toBe('已全部同步')
  })

  it('shows a notice in the language chosen while it shows, and lets it be dismissed', async () => {
    await browser.context.setOffline(true)
    await page.getByTestId('back').click()
    await page.getByTestId('new-case').click()
    await page.getByTestId('item-search').fill('高龄')
    await page.getByTestId('item-option').first().click()
    await page.getByTestId('form-field-applicant_name').fill('李四')
    await page.getByTestId('logout').click()
    const notice = page.getByTestId('notice')
    expect(await notice.textContent()).toContain('不能退出')
    await page.getByRole('button', { name: 'English' }).click()
    // English loads as its own chunk (from the service worker's precache while offline).
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toContain('unsynced')
    await page.getByTestId('notice-dismiss').click()
    expect(await notice.count()).toBe(0)
    await browser.context.setOffline(false)
    expect(errors).toEqual([])
  })
})
