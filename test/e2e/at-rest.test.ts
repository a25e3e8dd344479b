import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { readMaterials } from '../../src/core'
import { hasChromium, launchBrowser } from '../helpers/browser'
import { submitSignIn, useServerAndBrowser } from '../helpers/signed-in'
import { makePng } from '../helpers/png'
import { openSqlite } from '../../sync-server/storage/sqlite'

const NAME = '王卫东'
const ID = '340826195603120019'
const PHONE = '13812345678'

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Which needles occur in any file under `dir` (strings as UTF-8 and as UTF-16LE, bytes as they are). */
function scan(dir: string, needles: Record<string, Buffer[]>): string[] {
  const files = filesUnder(dir).map((f) => readFileSync(f))
  return Object.entries(needles)
    .filter(([, forms]) => forms.some((form) => files.some((b) => b.indexOf(form) >= 0)))
    .map(([k]) => k)
}
const text = (s: string) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]

async function signIn(page: Page, username: string, password: string): Promise<'in' | 'refused' | 'change-password'> {
  await submitSignIn(page, username, password)
  const outcome = await Promise.race([
    page.getByTestId('sync-status').waitFor({ timeout: 20_000 }).then(() => 'in' as const),
    page.getByTestId('login-error').waitFor({ timeout: 20_000 }).then(() => 'refused' as const),
    page.getByTestId('password-next').waitFor({ timeout: 20_000 }).then(() => 'change-password' as const),
  ])
  return outcome
}

describe.skipIf(!hasChromium())('data at rest (Chromium)', () => {
  const app = useServerAndBrowser({ keepProfile: true })
  let photo: Uint8Array = new Uint8Array(0)

  it('leaves no name, ID number, phone number or photo bytes readable in the profile\'s IndexedDB files', async () => {
    const page = await app.browser.context.newPage()
    await page.goto(app.server.url)
    expect(await signIn(page, 'agent', 'demo')).toBe('in')
    await page.getByTestId('nav-residents').click()
    await page.getByTestId('resident-new').click()
    await page.getByTestId('resident-name').fill(NAME)
    await page.getByTestId('resident-idNumber').fill(ID)
    await page.getByTestId('resident-phone').fill(PHONE)
    await page.getByTestId('resident-address').fill('破凉镇新屋组3号')
    await page.getByTestId('resident-save').click()
    await page.getByTestId('resident-start-case').click()
    await page.getByTestId('item-search').fill('高龄')
    await page.getByTestId('item-option').first().click()
    await page.getByTestId('form-field-applicant_name').waitFor()
    expect(await page.getByTestId('form-field-applicant_id').inputValue()).toBe(ID)
    expect(await page.getByTestId('form-field-birth_date').inputValue()).toBe('1956-03-12') // derived from the ID number
    await page.getByTestId('form-field-age_band').selectOption({ index: 1 })
    await page.getByTestId('form-field-bank_account_name').fill(NAME)
    await page.getByTestId('material-household_register-e_certificate').check({ force: true })
    await page.getByTestId('material-id_card-received').check({ force: true })
    await page.getByTestId('material-bank_card-received').check({ force: true })
    await page.getByTestId('material-id_card-photo').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: makePng(1200, 800) })
    await page.getByTestId('photo-thumb').first().waitFor()
    await page.getByTestId('take-in').click()
    await page.getByTestId('taken-in').waitFor()
    const number = (await page.getByTestId('case-number').textContent())!.trim()
    await page.getByTestId('sync-now').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.getAttribute('data-unsynced') === '0', null, { timeout: 20_000 })
    await page.close()

    // The photo as the device stored it (downscaled in the worker), read back from the server.
    const storage = openSqlite(app.server.dataDir)
    try {
      const c = (await storage.findCaseByNumber(number))!
      const doc = new Y.Doc()
      for (const e of await storage.caseLog(c.id)) Y.applyUpdate(doc, e.data)
      photo = (await storage.getBlob(readMaterials(doc).id_card!.photos[0]!))!
    } finally {
      await storage.close()
    }
    expect(photo.length).toBeGreaterThan(2000)
    await app.browser.context.close() // close the browser: everything is on disk

    const idb = join(app.browser.profile, 'Default', 'IndexedDB')
    const windows = [0.3, 0.5, 0.7].map((f) => Buffer.from(photo.subarray(Math.floor(photo.length * f), Math.floor(photo.length * f) + 48)))
    // The scan does find what is stored in the clear (the catalogue's item names).
    expect(scan(idb, { catalogue: text('高龄津贴') })).toEqual(['catalogue'])
    expect(scan(idb, { name: text(NAME), id: text(ID), phone: text(PHONE), masked: text('王*东'), photo: windows })).toEqual([])
  })

  it('refuses a wrong password; after an administrator\'s reset and the new password set online the data opens, and neither old password does offline', async () => {
    app.browser = await launchBrowser({ profile: app.browser.profile, keepProfile: true })
    const page = await app.browser.context.newPage()
    await app.browser.context.setOffline(true)
    await page.goto(app.server.url)
    expect(await signIn(page, 'agent', 'not-the-password')).toBe('refused')
    await page.reload()
    expect(await signIn(page, 'agent', 'demo')).toBe('in')
    await page.getByTestId('case-row').first().waitFor()
    expect(await page.getByTestId('case-row').first().textContent()).toContain('王*东')

    await app.browser.context.setOffline(false)
    const api = async (path: string, token: string | null, body: unknown) =>
      (await fetch(`${app.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>
    const admin = (await api('/api/login', null, { username: 'admin', password: 'demo' })).token as string
    const accounts = (await (await fetch(`${app.server.url}/api/admin/accounts`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { accounts: { id: string; username: string }[] }
    const agent = accounts.accounts.find((a) => a.username === 'agent')!
    const temporary = (await api(`/api/admin/accounts/${agent.id}/reset-password`, admin, {})).temporaryPassword as string

    await page.reload()
    // The server holds the sign-in back for a new password; signing in with it, the escrow key opens the data.
    expect(await signIn(page, 'agent', temporary)).toBe('change-password')
    const chosen = 'Xinwu-zu-2026!'
    await page.getByTestId('password-current').fill(temporary)
    await page.getByTestId('password-next').fill(chosen)
    await page.getByTestId('password-again').fill(chosen)
    await page.getByTestId('password-save').click()
    await page.getByTestId('sync-status').waitFor()
    await page.getByTestId('case-row').first().waitFor()
    expect(await page.getByTestId('case-row').first().textContent()).toContain('王*东')

    await app.browser.context.setOffline(true)
    await page.reload()
    expect(await signIn(page, 'agent', 'demo')).toBe('refused')
    await page.reload()
    expect(await signIn(page, 'agent', temporary)).toBe('refused')
    await page.reload()
    expect(await signIn(page, 'agent', chosen)).toBe('in')
    await page.getByTestId('case-row').first().waitFor()
    expect(await page.getByTestId('case-row').first().textContent()).toContain('王*东')
  })
})
