// The app under its Content-Security-Policy (no inline script or style, no eval) in Chromium: the
// demo agent signs in and opens a few screens, and the browser reports no violation.

import { describe, expect, it } from 'vitest'
import { hasChromium } from '../helpers/browser'
import { signIn, useServerAndBrowser } from '../helpers/signed-in'

describe.skipIf(!hasChromium())('csp (Chromium)', () => {
  const app = useServerAndBrowser()

  it('serves the app with a strict policy that it passes with no violation reported', async () => {
    const res = await fetch(app.server.url)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)

    const page = await app.browser.context.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`)
    })
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] }
      w.__csp = []
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))
    })
    await page.goto(app.server.url)
    await signIn(page, 'agent')
    await page.getByTestId('new-case').click()
    await page.getByTestId('item-option').first().click()
    await page.getByTestId('take-in').waitFor()
    for (const name of ['群众', '设置', '待办任务', '案件']) {
      await page.getByRole('link', { name, exact: true }).first().click()
      await page.waitForTimeout(300)
    }
    // Printing sets its page rules from script (a constructed style sheet, no inline <style>).
    await page.evaluate(() => {
      window.print = () => {}
    })
    await page.getByRole('link', { name: '设置', exact: true }).first().click()
    await page.getByTestId('print-calibration').click()
    await page.locator('#print-root[data-ready="1"]').waitFor({ state: 'attached' })
    problems.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)))
    expect(problems).toEqual([])
    // The listener does hear a violation: an inline script is refused and reported.
    await page.evaluate(() => {
      const el = document.createElement('script')
      el.textContent = 'window.__ran = true'
      document.body.append(el)
    })
    await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length > 0)
    expect(await page.evaluate(() => [(window as unknown as { __ran?: boolean }).__ran, (window as unknown as { __csp: string[] }).__csp[0]])).toEqual([undefined, expect.stringMatching(/^script-src/)])
    await page.close()
  })
})
