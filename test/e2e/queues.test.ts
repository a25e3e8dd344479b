import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { hasChromium, launchContexts } from '../helpers/browser'
import { makePng } from '../helpers/png'
import { newDevice } from '../helpers/device'
import type { CaseId } from '../../src/core'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

// Screenshots of every screen at both sizes when SHOTS_DIR is set (for looking at them).
const SHOTS = process.env.SHOTS_DIR
async function shot(page: Page, name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  const size = page.viewportSize()!
  await page.screenshot({ path: `${SHOTS}/${name}-1280x800.png` })
  await page.setViewportSize({ width: 800, height: 1280 })
  await page.waitForTimeout(150)
  await page.screenshot({ path: `${SHOTS}/${name}-800x1280.png` })
  await page.setViewportSize(size)
}

const problems: string[] = []
async function open(context: BrowserContext, url: string, username: string): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (e) => problems.push(`${username}: ${e.message}`))
  await page.goto(url)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill('demo')
  await page.getByTestId('login-submit').click()
  await page.getByTestId('sync-status').waitFor()
  return page
}

const synced = (page: Page) => page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.getAttribute('data-unsynced') === '0', null, { timeout: 20_000 })

/** Takes in a case through the agent's screens: every required field filled, every material received. */
async function takeIn(page: Page, search: string, name: string, photo = false): Promise<string> {
  await page.getByTestId('nav-cases').click()
  await page.getByTestId('new-case').click()
  await page.getByTestId('item-search').fill(search)
  await page.getByTestId('item-option').first().click()
  await page.getByTestId('form-field-applicant_name').fill(name)
  for (const testid of await page.locator('[data-testid^="form-field-"][required]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))) {
    const el = page.getByTestId(testid)
    if (await el.inputValue()) continue
    const kind = await el.evaluate((e) => (e.tagName === 'SELECT' ? 'select' : e.getAttribute('inputmode') === 'decimal' ? 'number' : (e as HTMLInputElement).type))
    if (kind === 'select') await el.selectOption({ index: 1 })
    else if (testid.endsWith('_id')) await el.fill('340826195603120019')
    else if (testid.includes('phone')) await el.fill('13912345678')
    else if (kind === 'date') await el.fill('2026-01-05')
    else if (kind === 'number') await el.fill('1')
    else await el.fill('破凉社区塘埂组12号')
  }
  for (const radio of await page.locator('[data-testid$="-received"]').all()) await radio.check({ force: true })
  if (photo) {
    await page.getByTestId('material-id_card-photo').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: makePng(1600, 1000) })
    await page.getByTestId('material-id_card').getByTestId('photo-thumb').waitFor()
  }
  await page.getByTestId('take-in').click()
  await page
    .getByTestId('taken-in')
    .or(page.getByTestId('take-in-problems'))
    .waitFor()
  if (await page.getByTestId('take-in-problems').count()) throw new Error(`take-in refused: ${await page.getByTestId('take-in-problems').textContent()}`)
  return (await page.getByTestId('case-number').textContent())!.trim()
}

async function openRow(page: Page, text: string) {
  await page.getByTestId('nav-queue').click()
  await page.getByTestId('queue-row').filter({ hasText: text }).first().click()
  await page.getByTestId('case-review').waitFor()
}

/** Staff controls on screen smaller than a 44 × 44 px touch target (buttons, toggles, choices). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>('main button, main summary, main [role=button], main label.check, main .segmented label, main select')
    return [...controls]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('thumb-button'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44 || r.width < 44)
      .map(({ el, r }) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`)
  })
}

const DECIDED = { accept: 'accepted', complete: 'completed', forward: 'forwarded' } as const

/** Opens a decision, lets `fill` complete it, confirms, and waits until the server's answer shows. */
async function decide(page: Page, action: keyof typeof DECIDED, fill?: () => Promise<void>) {
  await page.getByTestId(`action-${action}`).click()
  await fill?.()
  await page.getByTestId('decision-confirm').click()
  await page.getByTestId('decision-done').waitFor()
  await page.locator(`[data-testid=case-review][data-status=${DECIDED[action]}]`).waitFor({ timeout: 20_000 })
  await page.getByTestId('case-pending').waitFor({ state: 'detached', timeout: 15_000 })
}

describe.skipIf(!hasChromium())('township and county queues (Chromium, three devices)', () => {
  let server: ServerProcess
  let browsers: Awaited<ReturnType<typeof launchContexts>>
  beforeAll(async () => {
    server = await startServerProcess()
    browsers = await launchContexts(4)
  })
  afterAll(async () => {
    await browsers?.close()
    await server?.stop()
  })

  it('carries three offline cases to the township and county and every decision back to the village', async () => {
    const [agentCtx, townCtx, countyCtx, adminCtx] = browsers.contexts as [BrowserContext, BrowserContext, BrowserContext, BrowserContext]

    // The agent signs in once online (enrolling the device), then works offline.
    const agent = await open(agentCtx, server.url, 'agent')
    await synced(agent)
    await agentCtx.setOffline(true)
    await takeIn(agent, '生育登记', '王小丽', true)
    await takeIn(agent, '医保参保', '李四')
    await takeIn(agent, '高龄津贴', '张老汉')
    expect(await agent.getByTestId('sync-status').getAttribute('data-unsynced')).not.toBe('0')
    await agentCtx.setOffline(false)
    await agent.getByTestId('sync-now').click()
    await synced(agent)

    // Township: the batch from 破凉社区 has arrived; no intake button for staff.
    const town = await open(townCtx, server.url, 'township')
    await town.getByTestId('batch-row').filter({ hasText: '破凉社区' }).waitFor({ timeout: 20_000 })
    expect(await town.getByTestId('batch-row').first().textContent()).toContain('3')
    expect(await town.getByTestId('new-case').count()).toBe(0)
    await town.getByTestId('queue-row').nth(2).waitFor()
    await shot(town, 'township-queue')
    expect(await smallTargets(town)).toEqual([])
    // Keyboard: ? lists the shortcuts, j moves down the queue.
    await town.keyboard.press('?')
    await town.getByTestId('shortcut-help').waitFor()
    await town.keyboard.press('Escape')
    await town.keyboard.press('j')
    await town.locator('[data-testid=queue-row].selected').nth(0).filter({ hasText: '李*' }).waitFor()

    // Accept the township-level item and decide it on the spot.
    await openRow(town, '王*丽')
    expect(await town.getByTestId('value-applicant_id').textContent()).toBe('340826********0019') // masked until revealed
    await town.getByTestId('photo-thumb').waitFor() // the agent's photo, fetched from the server
    await shot(town, 'township-review')
    expect(await smallTargets(town)).toEqual([])
    await town.getByTestId('photo-thumb').click()
    await town.getByTestId('photo-zoom-in').click()
    await town.getByTestId('photo-rotate').click()
    expect(await town.getByTestId('photo-full').getAttribute('style')).toContain('rotate(90deg) scale(1.25)')
    await shot(town, 'township-photo')
    await town.getByTestId('photo-close').click()
    await town.getByTestId('reveal').click()
    await town.getByTestId('value-applicant_id').filter({ hasText: '340826195603120019' }).waitFor()
    // The reveal is recorded: by the server's audit trail when its case API answers, else as a note.
    const audited = await town.getByText('服务器已记录本次查看').count()
    if (!audited) await town.locator('.notes li').filter({ hasText: '查看完整个人信息' }).waitFor()
    await decide(town, 'accept')
    await decide(town, 'complete', async () => {
      await town.getByTestId('complete-approved').check({ force: true })
      await town.getByTestId('complete-result').fill('准予登记，已发放生育服务证。')
    })
    expect(await town.getByTestId('case-status').textContent()).toBe('已办结')

    // Return the second one, naming what to correct (one list).
    await openRow(town, '李*')
    await town.getByTestId('action-return').click()
    const address = town.locator('[data-testid=correction-item][data-path="form.address"]')
    await address.locator('input[type=checkbox]').check()
    await address.locator('input.reason').fill('住址请写明村民组和门牌号')
    expect(await smallTargets(town)).toEqual([])
    await shot(town, 'township-return')
    await town.getByTestId('decision-confirm').click()
    await town.getByTestId('decision-done').waitFor()
    await synced(town)
    await town.locator('[data-testid=case-review][data-status=returned]').waitFor({ timeout: 15_000 })

    // Accept and forward the county-level item.
    await openRow(town, '张*汉')
    await decide(town, 'accept')
    await decide(town, 'forward')
    expect(await town.getByTestId('case-status').textContent()).toBe('已上报县级')

    // County: it is in the county queue; complete it.
    const county = await open(countyCtx, server.url, 'county')
    await county.getByTestId('queue-row').filter({ hasText: '张*汉' }).waitFor({ timeout: 20_000 })
    await shot(county, 'county-queue')
    await openRow(county, '张*汉')
    await decide(county, 'complete', async () => {
      await county.getByTestId('complete-approved').check({ force: true })
      await county.getByTestId('complete-result').fill('准予发放高龄津贴，每月 100 元。')
    })
    await county.getByTestId('nav-supervision').click()
    await county.getByTestId('queue-empty').or(county.getByTestId('queue-row').first()).waitFor()
    await shot(county, 'county-supervision')

    // The village device sees the three outcomes as tasks.
    await agent.getByTestId('sync-now').click()
    await synced(agent)
    await agent.getByTestId('nav-tasks').click()
    await agent.locator('[data-testid=task-row]').nth(2).waitFor({ timeout: 15_000 })
    const kinds = await agent.getByTestId('task-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')).sort())
    expect(kinds).toEqual(['correct', 'deliver', 'deliver'])
    await agent.getByTestId('task-count').filter({ hasText: /^3$/ }).waitFor() // the tab counts them
    expect(await agent.getByTestId('task-row').filter({ hasText: '李*' }).textContent()).toContain('住址请写明村民组和门牌号')
    await agent.getByTestId('sent-batch').first().waitFor()
    await shot(agent, 'agent-tasks')

    // Fix and resubmit the returned case: only the named field opens.
    await agent.getByTestId('task-row').filter({ hasText: '李*' }).getByTestId('task-act').click()
    expect(await agent.getByTestId('form-field-applicant_name').getAttribute('readonly')).not.toBeNull()
    await agent.getByTestId('form-field-address').fill('破凉社区塘埂组12号附1号')
    await agent.getByTestId('take-in').click()
    await agent.getByTestId('taken-in').waitFor()

    // Deliver the township's result and record the resident's (bad) rating.
    await agent.getByTestId('nav-tasks').click()
    await agent.getByTestId('task-row').filter({ hasText: '王*丽' }).getByTestId('task-act').click()
    await agent.getByTestId('deliver-form').waitFor()
    await agent.getByTestId('deliver-method-window').check({ force: true })
    await agent.getByTestId('deliver-trips-more').click()
    await agent.getByTestId('deliver-trips-more').click()
    await agent.getByTestId('deliver-trips-less').click()
    expect(await agent.getByTestId('deliver-trips').inputValue()).toBe('1')
    await agent.getByTestId('rating-2').check({ force: true })
    await agent.getByTestId('rating-comment').fill('等待时间太长')
    await shot(agent, 'agent-deliver')
    await agent.getByTestId('decision-confirm').click()
    await agent.getByTestId('nav-tasks').waitFor()
    await synced(agent)

    // Township: the resubmission is back in the queue; accept it; the rating shows in the metrics.
    await town.getByTestId('nav-queue').click()
    await town.getByTestId('sync-now').click() // the live hint usually did this already
    await town.getByTestId('queue-row').filter({ hasText: '李*' }).filter({ hasText: '第 2 次提交' }).waitFor({ timeout: 20_000 })
    await openRow(town, '李*')
    expect(await town.getByTestId('value-address').textContent()).toBe('破凉社区塘埂组12号附1号')
    await decide(town, 'accept')
    expect(await town.getByTestId('case-status').textContent()).toBe('已受理')

    // Offline, the clerk completes it; meanwhile the resident withdraws it at the village.
    const caseB = town.url().split('/').pop() as CaseId
    await townCtx.setOffline(true)
    await town.getByTestId('action-complete').click()
    await town.getByTestId('complete-result').fill('准予参保')
    await town.getByTestId('decision-confirm').click()
    await town.getByTestId('case-pending').waitFor()
    const village = await newDevice(server.url, 'agent')
    await village.engine.sync()
    await village.store.queueCommand(caseB, { type: 'withdraw', reason: '群众本人要求撤回' })
    await village.engine.sync()
    await townCtx.setOffline(false)
    await town.getByTestId('sync-now').click()
    await town.getByTestId('case-problem').waitFor({ timeout: 20_000 })
    expect(await town.getByTestId('case-status').textContent()).toBe('已撤回')
    await town.getByTestId('nav-queue').click()
    expect(await town.getByTestId('command-refused').textContent()).toContain('案件状态已变化')
    await shot(town, 'township-refused')

    await town.getByTestId('nav-metrics').click()
    const followUp = town.getByTestId('follow-up').filter({ hasText: '不满意' })
    await followUp.waitFor({ timeout: 20_000 })
    expect(await followUp.textContent()).toContain('等待时间太长')
    expect(await town.getByTestId('kpi-ratings').textContent()).toContain('不满意 1')
    expect(await followUp.getByTestId('follow-up-due').textContent()).toMatch(/应于 \d{4}-\d{2}-\d{2} 前答复/)
    await shot(town, 'township-metrics')

    // The delivery's method and trips are in the case history as fields, not notes.
    const rated = (await followUp.locator('a').first().getAttribute('href'))!.split('/').pop()!
    await town.goto(`${server.url}/#/review/${rated}`)
    expect(await town.getByTestId('event-deliver').textContent()).toContain('窗口领取 · 群众到现场 1 次')

    // An administrator voids the rating as mistaken: struck through with the reason, out of the
    // figures, and the township's follow-up closes.
    const admin = await open(adminCtx, server.url, 'admin')
    await synced(admin)
    await admin.goto(`${server.url}/#/review/${rated}`)
    await admin.getByTestId('action-void-rating').click()
    await admin.getByTestId('void-reason').fill('群众误选评价等级，经回访核实作废')
    await admin.getByTestId('void-confirm').click()
    await admin.getByTestId('rating-voided').waitFor({ timeout: 20_000 })
    expect(await admin.getByTestId('rating-void-reason').textContent()).toContain('群众误选评价等级，经回访核实作废')
    expect(await admin.getByTestId('event-rate').locator('s').count()).toBe(1)
    await shot(admin, 'admin-rating-voided')
    await town.getByTestId('sync-now').click()
    await town.getByTestId('nav-metrics').click()
    await town.getByTestId('metrics').waitFor()
    await town.getByTestId('follow-up').first().waitFor({ state: 'detached', timeout: 20_000 })
    expect(await town.getByTestId('kpi-ratings').textContent()).not.toContain('不满意 1')
    expect(problems).toEqual([])
  })
})
