import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, runAdminCli } from '../helpers/admin-cli'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'
import { startServer } from '../../sync-server/app'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const GOOD = 'Wintersun-Kettle-19'

/** Restarts the same database under a logger whose lines the test can read. */
async function restartLogged(srv: TestServer) {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _e, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l))
      done()
    },
  })
  const running = await startServer({ ...srv.ctx.config, port: 0 }, pino({ level: 'info' }, stream))
  return { running, lines }
}

for (const storage of storages) {
  describe(`admin-cli (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage, { demoData: false })
    }, 60_000)
    afterAll(() => srv.stop())

    it('creates an administrator from the shell while the server runs, the password read from stdin', async () => {
      const r = await runAdminCli(['create-user', '--role', 'admin', '--scope', '340826', '--scope-name', '宿松县', '--username', 'wang', '--name', '王管理'], cliEnv(srv), `${GOOD}\n`)
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/created admin wang/)
      const me = await (await srv.api('/api/me', { token: await srv.login('wang', GOOD) })).json()
      expect(me.user).toMatchObject({ username: 'wang', role: 'admin', scope: '340826', displayName: '王管理' })
      expect((await srv.storage.listOrgUnits()).find((u) => u.code === '340826')?.name).toBe('宿松县')
    }, 60_000)

    it('refuses a password on the command line, a weak password and a wrong scope, each with its reason', async () => {
      const argv = await runAdminCli(['create-user', '--role', 'agent', '--scope', '340826', '--username', 'zhao', '--password', GOOD], cliEnv(srv))
      expect(argv.code).toBe(1)
      expect(argv.stderr).toMatch(/never taken from the command line/)
      const weak = await runAdminCli(['create-user', '--role', 'county', '--scope', '340826', '--username', 'zhaoliu'], cliEnv(srv), 'zhaoliu2024\n')
      expect(weak.code).toBe(1)
      expect(weak.stderr).toMatch(/must not contain the username/)
      const common = await runAdminCli(['create-user', '--role', 'county', '--scope', '340826', '--username', 'zhaoliu'], cliEnv(srv), '1234567890\n')
      expect(common.stderr).toMatch(/too common/)
      const scope = await runAdminCli(['create-user', '--role', 'agent', '--scope', '340826', '--username', 'zhaoliu'], cliEnv(srv), `${GOOD}\n`)
      expect(scope.stderr).toMatch(/scope: a village division code/)
      expect(await srv.storage.findUserByUsername('zhaoliu')).toBeUndefined()
    }, 60_000)

    it('records who made each account in the chained audit trail, which verify-audit finds intact', async () => {
      const r = await runAdminCli(['verify-audit'], cliEnv(srv))
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/audit trail intact: 1 rows chained/)
    }, 60_000)
  })

  describe(`setup link (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      srv = await startTestServer(storage, { demoData: false })
    }, 60_000)
    afterAll(() => srv.stop())

    it('logs a one-time link on an empty database that creates the first administrator once', async () => {
      await srv.close() // the same database, restarted with a readable log
      const { running, lines } = await restartLogged(srv)
      try {
        const logged = lines.filter((l) => typeof l.setupLink === 'string')
        expect(logged).toHaveLength(1)
        const link = new URL(String(logged[0]!.setupLink))
        const page = await fetch(running.url + link.pathname + link.search)
        expect(page.status).toBe(200)
        expect(await page.text()).toContain('创建首个管理员')

        const form = (over: Record<string, string>) =>
          fetch(running.url + '/setup', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ token: link.searchParams.get('token')!, countyCode: '340826', countyName: '宿松县', username: 'first', displayName: '首位管理员', password: GOOD, passwordAgain: GOOD, ...over }),
          })
        const bad = await form({ countyCode: '34', password: 'first12345', passwordAgain: 'other' })
        expect(bad.status).toBe(400)
        const html = await bad.text()
        for (const reason of ['6 位县级行政区划代码', '密码不得包含用户名', '两次输入的密码不一致']) expect(html).toContain(reason)

        const ok = await form({})
        expect(ok.status).toBe(201)
        const login = await fetch(running.url + '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'first', password: GOOD }) })
        expect((await login.json()).user).toMatchObject({ role: 'admin', scope: '340826' })

        expect((await form({ username: 'second' })).status).toBe(403) // used once
        expect((await fetch(running.url + link.pathname + link.search)).status).toBe(403)
        expect(await running.storage.findUserByUsername('second')).toBeUndefined()
      } finally {
        await running.close()
      }
      // With an administrator in place, a restart prints no link.
      const again = await restartLogged(srv)
      await again.running.close()
      expect(again.lines.filter((l) => 'setupLink' in l)).toHaveLength(0)
    }, 60_000)

    it('refuses an unknown, malformed or expired token', async () => {
      const { running } = await restartLogged(srv)
      try {
        for (const t of ['', 'x', 'A'.repeat(43)]) expect((await fetch(`${running.url}/setup?token=${t}`)).status).toBe(403)
      } finally {
        await running.close()
      }
    }, 60_000)
  })
}
