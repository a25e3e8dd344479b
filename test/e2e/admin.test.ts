import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchBrowser, type BrowserSession } from '../helpers/browser'
import { makePng } from '../helpers/png'
import { signIn, submitSignIn } from '../helpers/signed-in'

// A new county's first day: setup link → administrator → division import → accounts → an agent
// takes in a case on another browser → the administrator sees (and revokes) the device.

const PW = 'Kestrel-Orchard-73'
const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'daiban-admin-shots')
const CSV = ['代码,名称', '340826106000,华亭镇', '340826106001,破凉社区', '340826106201,示范一村', '340826107000,凉亭镇', '340826107201,示范二村'].join('\n')

interface Proc {
  url: string
  setupLink: string
  child: ChildProcess
  dataDir: string
}

async function startEmptyServer(): Promise<Proc> {
  const dataDir = mkdtempSync(join(tmpdir(), 'daiban-admin-e2e-'))
  const entry = process.env.DAIBAN_SERVER_ENTRY
  const child = spawn(process.execPath, entry ? [entry] : ['--import', 'tsx', 'sync-server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_DATA: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const found = await new Promise<{ url: string; setupLink: string }>((ok, fail) => {
    child.stdout!.on('data', (d) => {
      out += d
      const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
      const url = lines.find((l) => l.msg === 'daiban server listening')?.url
      const setupLink = lines.find((l) => l.setupLink)?.setupLink
      if (url && setupLink) ok({ url, setupLink })
    })
    child.on('exit', (code) => fail(new Error(`server exited ${code}`)))
  })
  return { ...found, child, dataDir }
}

async function shoot(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 800],
    [800, 1280],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await page.waitForTimeout(100)
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`), fullPage: false })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow, `${name} at ${w}×${h} scrolls sideways`).toBeLessThanOrEqual(0)
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe.skipIf(!hasChromium())('admin (Chromium)', () => {
  let server: Proc
  let adminBrowser: BrowserSession
  let agentBrowser: BrowserSession
  let admin: Page
  let agent: Page
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    server = await startEmptyServer()
    adminBrowser = await launchBrowser()
    agentBrowser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await adminBrowser?.close()
    await agentBrowser?.close()
    server?.child.kill('SIGTERM')
    await new Promise((r) => server?.child.once('exit', r))
    rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('sets up a new county: setup link, administrator, division import, an agent and a clerk', async () => {
    admin = await adminBrowser.context.newPage()
    admin.on('dialog', (d) => void d.accept())
    await admin.goto(server.url + new URL(server.setupLink).pathname + new URL(server.setupLink).search)
    await admin.getByText('创建首个管理员', { exact: true }).waitFor()
    await admin.screenshot({ path: join(SHOTS, 'setup-1280x800.png') })
    await admin.fill('#countyCode', '340826')
    await admin.fill('#countyName', '宿松县')
    await admin.fill('#username', 'ssadmin')
    await admin.fill('#displayName', '宿松县管理员')
    await admin.fill('#password', PW)
    await admin.fill('#passwordAgain', PW)
    await admin.getByRole('button').click()
    await admin.getByText('管理员已创建').waitFor()
    await admin.getByRole('link').click()
    await signIn(admin, 'ssadmin', PW, { timeout: 20_000 })

    await admin.getByTestId('nav-admin').click()
    await admin.getByTestId('org-csv').fill(CSV.replace('340826107201,示范二村', '340826108201,示范二村'))
    await admin.getByTestId('org-import').click()
    await admin.getByTestId('org-problems').waitFor()
    expect(await admin.getByTestId('org-problems').textContent()).toContain('第 6 行')
    await shoot(admin, 'admin-org-problems')
    await admin.getByTestId('org-csv').fill(CSV)
    await admin.getByTestId('org-import').click()
    await admin.getByTestId('org-result').waitFor()
    expect(await admin.getByTestId('org-result').textContent()).toContain('已导入：2 个乡镇、3 个村')
    await admin.getByTestId('org-tree').getByText('破凉社区').waitFor()
    await shoot(admin, 'admin-org')

    await admin.getByTestId('admin-tab-accounts').click()
    await admin.getByTestId('account-username').fill('pl-agent')
    await admin.getByTestId('account-name').fill('王代办')
    await admin.getByTestId('account-scope').selectOption('340826106001')
    await admin.getByTestId('account-password').fill('pl-agent-12345')
    await admin.getByTestId('account-create').click()
    await admin.getByTestId('account-problems').waitFor()
    expect(await admin.getByTestId('account-problems').textContent()).toContain('密码不得包含用户名')
    await admin.getByTestId('account-password').fill(PW)
    await admin.getByTestId('account-create').click()
    await admin.getByText('已创建账号 pl-agent。').waitFor()
    await admin.getByTestId('account-role').selectOption('township')
    await admin.getByTestId('account-scope').selectOption('340826106')
    await admin.getByTestId('account-department').selectOption('civil_affairs')
    await admin.getByTestId('account-username').fill('ht-clerk')
    await admin.getByTestId('account-name').fill('张窗口')
    await admin.getByTestId('account-password').fill(PW)
    await admin.getByTestId('account-create').click()
    await admin.getByText('已创建账号 ht-clerk。').waitFor()
    expect(await admin.getByTestId('accounts-table').textContent()).toContain('乡镇窗口 · 民政')
    await shoot(admin, 'admin-accounts')

    // A forgotten password: the administrator resets it, the clerk must choose a new one first.
    await admin.getByTestId('accounts-table').locator('tr', { hasText: 'ht-clerk' }).getByText('重置密码').click()
    await admin.getByTestId('accounts-message').getByText('临时密码').waitFor()
    const message = (await admin.getByTestId('accounts-message').textContent())!
    const temporary = /临时密码：([a-z2-9]{12})/.exec(message)![1]!
    const clerkBrowser = await launchBrowser()
    try {
      const clerk = await clerkBrowser.context.newPage()
      await clerk.goto(server.url)
      await submitSignIn(clerk, 'ht-clerk', temporary)
      await clerk.getByTestId('password-current').fill(temporary)
      await clerk.getByTestId('password-next').fill('ht-clerk-2027')
      await clerk.getByTestId('password-again').fill('ht-clerk-2027')
      await clerk.getByTestId('password-save').click()
      await clerk.getByTestId('password-problems').waitFor()
      expect(await clerk.getByTestId('password-problems').textContent()).toContain('密码不得包含用户名')
      await shoot(clerk, 'change-password')
      await clerk.getByTestId('password-next').fill(PW + '!')
      await clerk.getByTestId('password-again').fill(PW + '!')
      await clerk.getByTestId('password-save').click()
      await clerk.getByTestId('sync-status').waitFor()

      // Reset again while the clerk is signed in: the server's next answer (403
      // password_change_required) brings the form back before anything else.
      await admin.getByTestId('accounts-table').locator('tr', { hasText: 'ht-clerk' }).getByText('重置密码').click()
      await admin.waitForFunction((before) => {
        const text = document.querySelector('[data-testid=accounts-message]')?.textContent ?? ''
        return text.includes('临时密码') && text !== before
      }, message)
      const second = /临时密码：([a-z2-9]{12})/.exec((await admin.getByTestId('accounts-message').textContent())!)![1]!
      await clerk.getByTestId('sync-now').click()
      await clerk.getByTestId('password-current').waitFor({ timeout: 20_000 })
      expect(await clerk.getByTestId('sync-status').count()).toBe(0)
      await clerk.getByTestId('password-current').fill(second)
      await clerk.getByTestId('password-next').fill(PW + '#')
      await clerk.getByTestId('password-again').fill(PW + '#')
      await clerk.getByTestId('password-save').click()
      await clerk.getByTestId('sync-status').waitFor()
    } finally {
      await clerkBrowser.close()
    }
    const again = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ht-clerk', password: PW + '#' }) })
    expect((await again.json()).mustChangePassword).toBe(false)
  }, 120_000)

  it('the agent takes in a case on another browser and the administrator sees the device', async () => {
    // The county's catalogue is loaded from its file (the demo catalogue stands in for it).
    const login = await (await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ssadmin', password: PW }) })).json()
    const put = await fetch(`${server.url}/api/catalogue`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` }, body: readFileSync('demo/catalogue.json') })
    expect(put.status).toBe(200)

    agent = await agentBrowser.context.newPage()
    await agent.goto(server.url)
    await signIn(agent, 'pl-agent', PW, { timeout: 20_000 })
    await agent.getByTestId('new-case').click()
    await agent.getByTestId('item-search').fill('高龄')
    await agent.getByTestId('item-option').first().click()
    await agent.getByTestId('form-field-applicant_name').fill('王秀英')
    await agent.getByTestId('form-field-applicant_id').fill('34082619480705002X')
    await agent.getByTestId('form-field-applicant_phone').fill('13812345678')
    await agent.getByTestId('form-field-address').fill('破凉社区新屋组3号')
    await agent.getByTestId('form-field-age_band').selectOption({ index: 1 })
    await agent.getByTestId('form-field-bank_account_name').fill('王秀英')
    await agent.getByTestId('material-household_register-e_certificate').check({ force: true })
    await agent.getByTestId('material-id_card-received').check({ force: true })
    await agent.getByTestId('material-bank_card-received').check({ force: true })
    await agent.getByTestId('material-id_card-photo').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: makePng(800, 500) })
    await agent.getByTestId('photo-thumb').first().waitFor()
    await agent.getByTestId('take-in').click()
    await agent.getByTestId('taken-in').waitFor()
    await agent.getByTestId('sync-now').click()
    await agent.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.getAttribute('data-unsynced') === '0', null, { timeout: 20_000 })

    await admin.getByTestId('admin-tab-devices').click()
    await admin.getByTestId('devices-table').getByText('pl-agent').waitFor()
    expect(await admin.getByTestId('devices-table').textContent()).toContain('340826106001-1')
    await shoot(admin, 'admin-devices')

    await admin.getByTestId('admin-tab-audit').click()
    await admin.getByTestId('audit-action').fill('command:submit')
    await admin.getByTestId('audit-filter').click()
    await admin.getByTestId('audit-table').getByText('command:submit').first().waitFor()
    await shoot(admin, 'admin-audit')

    await admin.getByTestId('admin-tab-catalogue').click()
    await admin.getByTestId('catalogue-list').waitFor()
    await admin.getByTestId('catalogue-list').locator('button').first().click()
    await admin.getByTestId('catalogue-json').fill('{"name": ""}')
    await admin.getByTestId('catalogue-save').click()
    await admin.getByTestId('catalogue-problems').waitFor()
    await shoot(admin, 'admin-catalogue')

    await admin.getByTestId('admin-tab-calendar').click()
    await admin.getByTestId('calendar-year').fill('2027')
    await admin.getByTestId('range-from-0').fill('2027-01-01')
    await admin.getByTestId('range-to-0').fill('2027-01-03')
    await admin.getByTestId('add-range').click()
    await admin.getByTestId('range-from-1').fill('2027-02-05')
    await admin.getByTestId('range-to-1').fill('2027-02-13')
    await admin.getByTestId('workday-0').fill('2027-02-14')
    await admin.getByTestId('calendar-preview-button').click()
    await admin.getByTestId('calendar-preview').waitFor()
    await shoot(admin, 'admin-calendar')
    await admin.getByTestId('calendar-confirm').click()
    await admin.getByTestId('calendar-message').waitFor()
    expect(await admin.getByTestId('calendar-message').textContent()).toContain('2027')
  }, 180_000)

  it("refuses the revoked device's next sync (once device revocation is on the server)", async (ctx) => {
    await admin.getByTestId('admin-tab-devices').click()
    const answer = admin.waitForResponse((r) => /\/api\/devices\/[^/]+\/revoke$/.test(r.url()))
    await admin.getByTestId('revoke-340826106001-1').click()
    const res = await answer
    if (res.status() === 404 && /no API endpoint/.test(await res.text())) return ctx.skip()
    expect(res.status()).toBe(200)
    const refused = agent.waitForResponse((r) => r.url().endsWith('/api/sync'))
    await agent.getByTestId('sync-now').click()
    const sync = await refused
    expect(sync.status()).toBe(403)
    expect(await sync.text()).toContain('device_revoked')
  }, 60_000)
})
