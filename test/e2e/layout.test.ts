import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { hasChromium } from '../helpers/browser'
import { signIn, useServerAndBrowser } from '../helpers/signed-in'

const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

describe.skipIf(!hasChromium())('layout and keyboard (Chromium)', () => {
  const app = useServerAndBrowser()

  it('signs in with the keyboard alone', async () => {
    const page = await app.browser.context.newPage()
    await page.goto(app.server.url)
    await page.getByTestId('login-username').focus()
    await page.keyboard.type('agent')
    await page.keyboard.press('Tab')
    await page.keyboard.type('demo')
    await page.keyboard.press('Enter')
    await page.getByTestId('sync-status').waitFor()
    // From the top of the page, every control is reachable by Tab, in reading order, with a name.
    await page.locator('.brand').click() // moves the Tab starting point to the top of the page
    const names: string[] = []
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab')
      names.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() || document.activeElement?.getAttribute('aria-label') || ''))
    }
    expect(names.slice(0, 7)).toEqual(['案件', '待办任务', '群众', '设置', 'English', '退出', '立即同步'])
    expect(names.every((n) => n.length > 0)).toBe(true)
    await page.close()
  })

  for (const [width, height] of [
    [1280, 800],
    [800, 1280],
  ] as const) {
    it(`fits ${width}×${height} without sideways scrolling, with touch-sized controls`, async () => {
      const page = await app.browser.context.newPage()
      await page.setViewportSize({ width, height })
      await page.goto(app.server.url)
      await signIn(page, 'agent')
      expect(await overflowX(page)).toBeLessThanOrEqual(0)
      await page.getByTestId('new-case').click()
      await page.getByTestId('item-option').first().click()
      await page.getByTestId('take-in').waitFor()
      expect(await overflowX(page)).toBeLessThanOrEqual(0)
      // Buttons, inputs and the material choices are at least 44 px high.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('main button, main input:not([type=radio]):not([type=file]), main select, .segmented label, .top nav a')]
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.width > 0 && r.height < 44).length,
      )
      expect(small).toBe(0)
      await page.close()
    })
  }
})
