import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORMATS, PaperFormats, type CaseId, type PaperFormat, type PaperKind } from '../../src/core'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, hasChromium, launchBrowser, type BrowserSession } from '../helpers/browser'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { pdfInfo, pdfQr, pdfText, pdfWordBoxes } from '../helpers/pdf'
import { verdictOf } from '../helpers/paper'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

const OUT = resolve(import.meta.dirname, '../../test-output/paper')
const ITEM = '临时救助'

async function signIn(page: Page, username: string) {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill('demo')
  await page.getByTestId('login-submit').click()
  await page.getByTestId('sync-status').waitFor()
}
const allSynced = (page: Page) =>
  page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.getAttribute('data-unsynced') === '0', null, { timeout: 20_000 })

describe.skipIf(!hasChromium())('paper (Chromium, PDF, QR)', () => {
  let server: ServerProcess
  let browser: BrowserSession
  let page: Page
  const cases: Record<Exclude<PaperKind, 'receipt'>, CaseId> = {} as never
  let materials: string[] = []
  const numbers = new Map<CaseId, string>()

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true })
    server = await startServerProcess()
    const agent = await newDevice(server.url, 'agent')
    const item = itemNamed(agent, ITEM)
    materials = item.materials.map((m) => m.name)
    const kinds = ['correction', 'acceptance', 'refusal', 'completion'] as const
    for (const [i, k] of kinds.entries()) {
      cases[k] = await takeInCase(agent, item, 40 + i)
      numbers.set(cases[k], (await agent.store.doc(cases[k])).getMap('meta').get('number') as string)
    }
    await agent.engine.sync()
    const township = await newDevice(server.url, 'township')
    await township.engine.sync()
    await township.store.queueCommand(cases.correction, {
      type: 'return',
      corrections: [
        { path: 'form.address', label: '家庭住址', reason: '住址不完整，请写明门牌号' },
        { label: '困难情况证明', reason: '需村委会盖章' },
      ],
    })
    await township.store.queueCommand(cases.acceptance, { type: 'accept' })
    await township.store.queueCommand(cases.refusal, { type: 'refuse', reason: '申请人不属于本乡镇户籍', appeal: '可自收到本通知书之日起60日内向宿松县人民政府申请行政复议，或6个月内向人民法院提起行政诉讼。' })
    await township.store.queueCommand(cases.completion, { type: 'accept' })
    await township.store.queueCommand(cases.completion, { type: 'complete', decision: 'approved', reason: '符合临时救助条件' })
    const r = await township.engine.sync()
    expect(r).toBeTruthy()
    browser = await launchBrowser()
    await browser.context.addInitScript(() => {
      window.print = () => {
        ;(window as unknown as { printed: number }).printed = ((window as unknown as { printed?: number }).printed ?? 0) + 1
      }
    })
    page = await browser.context.newPage()
    await page.goto(server.url)
    await signIn(page, 'agent')
    await allSynced(page)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function printToPdf(caseId: CaseId, kind: PaperKind, format: PaperFormat): Promise<{ file: string; heightMm: number }> {
    // The session lives in the page: navigate by hash, never reload.
    await page.evaluate(
      ([f, id]) => {
        localStorage.setItem('daiban.paperFormat', f!)
        document.getElementById('print-root')?.removeAttribute('data-ready')
        location.hash = `#/case/${id}`
      },
      [format, caseId],
    )
    await page.getByTestId('case-number').filter({ hasText: numbers.get(caseId)! }).waitFor()
    await page
      .getByTestId(`print-${kind}`)
      .click({ timeout: 15_000 })
      .catch(async (e) => {
        await page.screenshot({ path: join(OUT, 'failed-print.png') })
        throw e
      })
    await page.locator('#print-root[data-ready="1"]').waitFor({ state: 'attached' })
    const heightMm = Number(await page.locator('#print-root').getAttribute('data-height-mm'))
    const file = join(OUT, `${kind}-${format}.pdf`)
    await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true })
    return { file, heightMm }
  }

  const kindsAndCases = (): [PaperKind, CaseId][] => [
    ['receipt', cases.acceptance],
    ['correction', cases.correction],
    ['acceptance', cases.acceptance],
    ['completion', cases.completion],
    ['refusal', cases.refusal],
  ]

  it('prints each paper in each format with the case data, within the printable width, and a QR that verifies as genuine', async () => {
    const urls: string[] = []
    for (const [kind, caseId] of kindsAndCases())
      for (const format of PaperFormats) {
        const { file, heightMm } = await printToPdf(caseId, kind, format)
        const spec = FORMATS[format]
        const info = pdfInfo(file)
        const where = `${kind} ${format}`
        expect(info.widthMm, where).toBeCloseTo(spec.pageWidthMm, 0)
        expect(info.pages, where).toBe(1)
        if (spec.roll) {
          expect(Math.abs(info.heightMm - (heightMm + 1)), `${where}: page ${info.heightMm} mm, content ${heightMm} mm`).toBeLessThan(1.5)
        }
        const text = pdfText(file)
        expect(text, where).toContain(numbers.get(caseId))
        expect(text, where).toContain(ITEM)
        expect(text, where).toMatch(/\d{6}\*{8}\d{3}[\dX]/) // the masked ID
        expect(text, where).not.toMatch(/\d{17}[\dX]/) // never the full one
        if (kind === 'receipt') for (const m of materials) expect(text, `${where}: ${m}`).toContain(m.replace(/\s+/g, ''))
        if (kind === 'correction') {
          expect(text, where).toContain('住址不完整，请写明门牌号')
          expect(text, where).toContain('办理时限自受理之日起计算') // returned before acceptance
        }
        if (kind === 'refusal') expect(text, where).toContain('行政复议')
        const left = spec.roll ? (spec.pageWidthMm - spec.printableWidthMm) / 2 : spec.marginMm
        for (const w of pdfWordBoxes(file)) {
          expect(w.xMin, `${where}: ${w.word}`).toBeGreaterThanOrEqual(left - 0.5)
          expect(w.xMax, `${where}: ${w.word}`).toBeLessThanOrEqual(left + spec.printableWidthMm + 0.5)
        }
        const url = pdfQr(file, join(OUT, `${kind}-${format}`), spec.roll ? 203 : 300)
        expect(url, `${where}: QR`).toMatch(new RegExp(`^${server.url}/v/[A-Za-z0-9_-]{128}$`))
        urls.push(url!)
      }
    expect(new Set(urls).size).toBe(urls.length)
    // The date of the take-in is on the receipt.
    await page.getByTestId('sync-now').click()
    await allSynced(page)
    for (const url of urls) expect((await verdictOf(server.url, url.split('/v/')[1]!)).verdict, url).toBe('genuine')
  }, 300_000)

  it('a paper printed offline verifies as "genuine, not yet synced" until its sync, and a tampered one as not genuine', async () => {
    await browser.context.setOffline(true)
    let payload = ''
    try {
      const { file } = await printToPdf(cases.acceptance, 'receipt', 'roll58')
      const url = pdfQr(file, join(OUT, 'offline-receipt-roll58'), 203)!
      payload = url.split('/v/')[1]!
      expect(pdfText(file)).toContain('补打') // printed before, in the first test
      expect((await verdictOf(server.url, payload)).verdict).toBe('genuine_unsynced')
      const tampered = payload.slice(0, 40) + (payload[40] === 'A' ? 'B' : 'A') + payload.slice(41)
      expect((await verdictOf(server.url, tampered)).verdict).toBe('not_genuine')
    } finally {
      await browser.context.setOffline(false)
    }
    await page.getByTestId('sync-now').click()
    await allSynced(page)
    expect((await verdictOf(server.url, payload)).verdict).toBe('genuine')
  }, 60_000)

  it('shows the verification page readably on a 390×844 phone', async () => {
    const { file } = await printToPdf(cases.acceptance, 'acceptance', 'a5')
    const url = pdfQr(file, join(OUT, 'phone-acceptance-a5'), 300)!
    await page.getByTestId('sync-now').click()
    await allSynced(page)
    const phone = await browser.context.newPage()
    await phone.setViewportSize({ width: 390, height: 844 })
    await phone.goto(url)
    const verdict = phone.getByTestId('verdict')
    expect(await verdict.getAttribute('data-verdict')).toBe('genuine')
    const layout = await phone.evaluate(() => {
      const v = document.querySelector('[data-testid=verdict]')!.getBoundingClientRect()
      const h1 = getComputedStyle(document.querySelector('h1')!).fontSize
      const body = getComputedStyle(document.body).fontSize
      const requests = performance.getEntriesByType('resource').map((e) => e.name)
      return { scrollWidth: document.documentElement.scrollWidth, verdictBottom: v.bottom, h1: parseFloat(h1), body: parseFloat(body), requests }
    })
    expect(layout.scrollWidth).toBeLessThanOrEqual(390)
    expect(layout.verdictBottom).toBeLessThan(844 / 2)
    expect(layout.h1).toBeGreaterThanOrEqual(24)
    expect(layout.body).toBeGreaterThanOrEqual(16)
    expect(layout.requests).toEqual([]) // no external resources at all
    expect(await phone.textContent('body')).toContain('已受理')
    expect(await phone.textContent('body')).not.toMatch(/\d{17}[\dX]/)
    await phone.screenshot({ path: join(OUT, 'verify-390x844.png'), fullPage: true })
    await phone.close()
  }, 60_000)

  it('prints the calibration page on a 58 mm roll: one page, the ruler across 48 mm and a readable test QR', async () => {
    await page.evaluate(() => {
      localStorage.setItem('daiban.paperFormat', 'roll58')
      document.getElementById('print-root')?.removeAttribute('data-ready')
      location.hash = '#/settings'
    })
    await page.getByTestId('paper-format').selectOption('roll58')
    await page.getByTestId('print-calibration').click()
    await page.locator('#print-root[data-ready="1"]').waitFor({ state: 'attached' })
    const file = join(OUT, 'calibration-roll58.pdf')
    await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true })
    expect(pdfInfo(file).pages).toBe(1)
    expect(pdfText(file)).toContain('可打印宽度48mm（384点')
    expect(pdfQr(file, join(OUT, 'calibration-roll58'), 203)).toBe(`${server.url}/v/calibration`)
  }, 60_000)

  it('opens a case for township staff from a scanned paper URL (as a scanner types it) and from its case number', async () => {
    const { file } = await printToPdf(cases.completion, 'completion', 'roll80')
    const url = pdfQr(file, join(OUT, 'scan-completion-roll80'), 203)!
    await page.getByTestId('sync-now').click()
    await allSynced(page)
    const staff = await launchBrowser()
    try {
      const p = await staff.context.newPage()
      await p.goto(server.url)
      await signIn(p, 'township')
      await allSynced(p)
      await p.getByTestId('scan-number').fill(url)
      await p.getByTestId('scan-number-open').click()
      await p.waitForURL(new RegExp(`#/review/${cases.completion}$`))
      await p.goto(`${server.url}/#/queue`)
      await p.getByTestId('scan-number').fill(numbers.get(cases.refusal)!.toLowerCase())
      await p.getByTestId('scan-number-open').click()
      await p.waitForURL(new RegExp(`#/review/${cases.refusal}$`))
      await p.goto(`${server.url}/#/queue`)
      await p.getByTestId('scan-number').fill(url.replace(/.\/?$/, (c) => (c === 'A' ? 'B' : 'A')))
      await p.getByTestId('scan-number-open').click()
      expect(await p.getByTestId('scan-error').textContent()).toContain('不是真实单据')
    } finally {
      await staff.close()
    }
  }, 90_000)

  it('opens the case when the camera sees the paper (a fake camera showing the printed page; jsQR where there is no BarcodeDetector)', async () => {
    const { file } = await printToPdf(cases.acceptance, 'acceptance', 'roll80')
    await page.getByTestId('sync-now').click()
    await allSynced(page)
    // The camera films the QR code at the foot of the roll: the bottom 640 × 560 pixels of the page.
    const heightPx = Math.round((pdfInfo(file).heightMm / 25.4) * 203)
    execFileSync('pdftoppm', ['-r', '203', '-jpeg', '-singlefile', '-x', '0', '-y', String(heightPx - 560), '-W', '640', '-H', '560', file, join(OUT, 'camera')])
    const frame = readFileSync(join(OUT, 'camera.jpg'))
    const video = join(OUT, 'camera.mjpeg')
    writeFileSync(video, Buffer.concat(Array.from({ length: 20 }, () => frame)))
    const profile = mkdtempSync(join(tmpdir(), 'daiban-camera-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH!,
      headless: true,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
    })
    try {
      await context.grantPermissions(['camera'], { origin: server.url })
      const p = await context.newPage()
      await p.goto(server.url)
      await signIn(p, 'township')
      await allSynced(p)
      await p.getByTestId('scan-start').click()
      await p.waitForURL(new RegExp(`#/review/${cases.acceptance}$`), { timeout: 30_000 }).catch(async (e) => {
        await p.screenshot({ path: join(OUT, 'failed-camera.png') })
        throw e
      })
    } finally {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }, 90_000)
})
