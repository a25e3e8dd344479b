import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchBrowser, type BrowserSession } from '../helpers/browser'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

describe.skipIf(!hasChromium())('login (Chromium)', () => {
  let server: ServerProcess
  let browser: BrowserSession
  beforeAll(async () => {
    server = await startServerProcess()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the Chinese login page, refuses a wrong password and logs the agent in', async () => {
    const page = await browser.context.newPage()
    await page.goto(server.url)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await page.getByTestId('login-username').fill('agent')
    await page.getByTestId('login-password').fill('wrong')
    await page.getByTestId('login-submit').click()
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('用户名或密码错误')
    await page.getByTestId('login-password').fill('demo')
    await page.getByTestId('login-submit').click()
    await page.getByText('您好，王代办').waitFor()
    await page.getByText('最低生活保障').waitFor()
    expect(await page.getByText('承诺件 · 30 个工作日').count()).toBeGreaterThan(0)
  })

  it('switches to English', async () => {
    const page = await browser.context.newPage()
    await page.goto(server.url)
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
  })
})
