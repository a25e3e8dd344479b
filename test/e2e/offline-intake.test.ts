import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { readForm, readMaterials } from '../../src/core'
import { hasChromium, launchBrowser } from '../helpers/browser'
import { submitSignIn, useServerAndBrowser } from '../helpers/signed-in'
import { jpegSize, makePng } from '../helpers/png'
import { openSqlite } from '../../sync-server/storage/sqlite'

const logs: string[] = []
function watch(page: Page): Page {
  page.on('console', (m) => logs.push(`console.${m.type()}: ${m.text()}`))
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`))
  return page
}

async function signIn(page: Page, username: string, password = 'demo') {
  await submitSignIn(page, username, password)
  try {
    await page.getByTestId('sync-status').waitFor({ timeout: 15_000 })
  } catch (e) {
    const error = await page.getByTestId('login-error').textContent({ timeout: 100 }).catch(() => null)
    const dbs = await page.evaluate(async () => {
      const list = await indexedDB.databases()
      const users = await new Promise((res) => {
        const r = indexedDB.open('daiban-device')
        r.onsuccess = () => {
          try {
            const q = r.result.transaction('users').objectStore('users').getAllKeys()
            q.onsuccess = () => res(q.result)
          } catch (e) {
            res(String(e))
          }
        }
        r.onerror = () => res('open failed')
      })
      return JSON.stringify({ list, users, online: navigator.onLine })
    })
    logs.push(dbs)
    throw new Error(`sign-in did not finish (login error: ${error}); page said:\n${logs.join('\n')}`, { cause: e })
  }
}

/** Reloads until the service worker controls the page (the app shell is then precached). */
async function untilControlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker?.ready.then(() => true))
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload()
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller))
}

describe.skipIf(!hasChromium())('offline intake (Chromium)', () => {
  const app = useServerAndBrowser({ keepProfile: true })
  let caseNumber = ''

  it('takes in a case with a resident and a photo with no network, and keeps it across a closed page', async () => {
    const page = watch(await app.browser.context.newPage())
    await page.goto(app.server.url)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await signIn(page, 'agent')
    await untilControlled(page)

    await app.browser.context.setOffline(true)
    await page.reload()
    await page.getByTestId('login-username').waitFor() // the app shell came from the service worker
    await signIn(page, 'agent') // offline sign-in, checked on the device
    await page.getByText('离线', { exact: true }).waitFor()

    // A resident, then a case started from them: nothing is typed twice.
    await page.getByTestId('nav-residents').click()
    await page.getByTestId('resident-new').click()
    await page.getByTestId('resident-name').fill('王秀英')
    await page.getByTestId('resident-idNumber').fill('34082619480705002X')
    await page.getByTestId('resident-phone').fill('13812345678')
    await page.getByTestId('resident-address').fill('破凉社区新屋组3号')
    await page.getByTestId('resident-save').click()
    await page.getByTestId('resident-start-case').click()
    await page.getByTestId('item-search').fill('高龄')
    await page.getByTestId('item-option').first().click()
    await page.getByTestId('form-field-applicant_name').waitFor()
    expect(await page.getByTestId('form-field-applicant_name').inputValue()).toBe('王秀英')
    expect(await page.getByTestId('form-field-applicant_id').inputValue()).toBe('34082619480705002X')

    // Taking in an incomplete case lists every problem at once.
    await page.getByTestId('take-in').click()
    const problems = page.getByTestId('take-in-problems')
    await problems.waitFor()
    expect(await problems.locator('li').count()).toBe(5) // age band, bank account name, three materials
    // The birth date comes from the ID number (GB 11643 digits 7–14), read-only.
    expect(await page.getByTestId('form-field-birth_date').inputValue()).toBe('1948-07-05')
    expect(await page.getByTestId('form-field-birth_date').getAttribute('readonly')).not.toBeNull()

    await page.getByTestId('form-field-age_band').selectOption({ index: 1 })
    await page.getByTestId('form-field-bank_account_name').fill('王秀英')
    await page.getByTestId('material-household_register-e_certificate').check({ force: true })
    await page.getByTestId('material-id_card-received').check({ force: true })
    await page.getByTestId('material-bank_card-received').check({ force: true })
    await page.getByTestId('material-id_card-photo').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: makePng(2400, 1600) })
    await page.getByTestId('photo-thumb').first().waitFor()
    await page.getByTestId('take-in').click()
    await page.getByTestId('taken-in').waitFor()
    caseNumber = (await page.getByTestId('case-number').textContent())!.trim()
    expect(caseNumber).toMatch(/^340826106001-\d{6}-\d{3}-\d{4}-[\dX]$/)
    await page.close()

    // A new page, still offline: sign in again and find everything as it was.
    const again = watch(await app.browser.context.newPage())
    await again.goto(app.server.url)
    await signIn(again, 'agent')
    expect(Number(await again.getByTestId('sync-status').getAttribute('data-unsynced'))).toBeGreaterThan(0)
    await again.getByTestId('case-row').first().waitFor()
    expect(await again.getByTestId('case-number').first().textContent()).toBe(caseNumber)
    await again.getByTestId('case-row').first().click()
    expect(await again.getByTestId('form-field-bank_account_name').inputValue()).toBe('王秀英')
    expect(await again.getByTestId('form-field-birth_date').inputValue()).toBe('1948-07-05')
    await again.getByTestId('photo-thumb').first().waitFor()
    expect(await again.getByTestId('case-status').textContent()).toBe('已收件·待报送')
    await again.close()
  })

  it('loads and signs in offline after the browser restarts, then syncs the case with its photo', async () => {
    await app.browser.context.close()
    app.browser = await launchBrowser({ profile: app.browser.profile })
    await app.browser.context.setOffline(true)
    const page = watch(await app.browser.context.newPage())
    await page.goto(app.server.url)
    await signIn(page, 'agent')
    await page.getByTestId('case-row').first().waitFor()

    await app.browser.context.setOffline(false)
    await page.getByTestId('sync-now').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.getAttribute('data-unsynced') === '0', null, { timeout: 20_000 })
    const storage = openSqlite(app.server.dataDir)
    try {
      const c = (await storage.findCaseByNumber(caseNumber))!
      expect(c.status).toBe('submitted')
      const doc = new Y.Doc()
      for (const e of await storage.caseLog(c.id)) Y.applyUpdate(doc, e.data)
      expect(readForm(doc)).toMatchObject({ applicant_name: '王秀英', birth_date: '1948-07-05' })
      const photos = readMaterials(doc).id_card?.photos ?? []
      expect(photos.length).toBe(1)
      expect((await storage.blobsOfCase(c.id)).every((b) => b.present)).toBe(true)
      // Downscaled on the device: at most 1600 px on the long side, JPEG.
      const jpeg = (await storage.getBlob(photos[0]!))!
      expect(jpegSize(jpeg)).toEqual({ width: 1600, height: 1067 }) // from a 2400 × 1600 picture
    } finally {
      await storage.close()
    }
  })
})
