import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonFrom } from '../helpers/from-address'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`login throttle (${storage})`, () => {
    let srv: TestServer
    beforeAll(async () => {
      // 200 connections at once from one address: above the per-address connection cap.
      srv = await startTestServer(storage, { maxConnectionsPerAddress: 1000 })
    })
    afterAll(async () => srv?.stop())

    const login = (address: string, username: string, password: string) => jsonFrom(address, `${srv.url}/api/login`, 'POST', { username, password })

    it('checks only the free attempts of 200 parallel guesses, and the right password among them does not get past the limit', async () => {
      const guesses = Array.from({ length: 200 }, (_, i) => (i === 150 ? 'demo' : `guess-${i}`))
      const started = Date.now()
      const answers = await Promise.all(guesses.map((pw) => login('127.0.0.2', 'township', pw)))
      const seconds = (Date.now() - started) / 1000
      console.log(`200 parallel guesses (${storage}): ${seconds.toFixed(2)} s`)
      const checked = answers.filter((a) => a.status !== 429)
      // Five free attempts for one username from one address, then one more after each doubling
      // wait (1 s, 2 s, 4 s …) that has passed: exactly what 200 sequential guesses would get.
      expect(checked.length).toBeLessThanOrEqual(5 + Math.ceil(Math.log2(seconds + 1)))
      expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(190)
      const right = answers[150]!
      if (right.status === 200) expect(checked.indexOf(right)).toBeGreaterThanOrEqual(0)
      for (const a of answers.filter((x) => x.status === 429)) expect(JSON.parse(a.body).error.code).toBe('too_many_attempts')
    })

    it('lets the owner sign in from another address right after a burst against the username', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => login('127.0.0.3', 'county', `burst-${i}`)))
      expect((await login('127.0.0.3', 'county', 'demo')).status).toBe(429)
      expect((await login('127.0.0.4', 'county', 'demo')).status).toBe(200)
    })

    it('resets the address count on a success, so one station address keeps serving its people', async () => {
      const address = '127.0.0.5'
      for (let u = 0; u < 5; u++) for (let i = 0; i < 5; i++) expect((await login(address, `nobody${u}`, 'x')).status).toBe(401)
      expect((await login(address, 'agent2', 'demo')).status).toBe(200)
      for (let u = 5; u < 10; u++) for (let i = 0; i < 5; i++) expect((await login(address, `nobody${u}`, 'x')).status).toBe(401)
      // The address limit still holds for guesses that never succeed.
      for (let u = 10; u < 12; u++) for (let i = 0; i < 5; i++) await login(address, `nobody${u}`, 'x')
      expect((await login(address, 'nobody99', 'x')).status).toBe(429)
      // …and slows that address only.
      expect((await login('127.0.0.6', 'agent2', 'demo')).status).toBe(200)
    })

    it('removes throttle rows whose window has passed', async () => {
      await login('127.0.0.7', 'nobody-old', 'x')
      const later = Date.now() + 2 * 3600_000
      const removed = await srv.ctx.loginThrottle.prune(later)
      expect(removed).toBeGreaterThan(0)
      expect(await srv.storage.getLoginFailures('user:nobody-old')).toBeUndefined()
      expect(await srv.storage.getLoginFailures('pair:nobody-old|127.0.0.7')).toBeUndefined()
    })
  })
}

describe('login throttle behind a proxy', () => {
  it('counts per forwarded client address only when the proxy is trusted', async () => {
    const trusted = await startTestServer('sqlite', { trustProxy: true })
    const direct = await startTestServer('sqlite')
    try {
      const guess = (srv: TestServer, forwarded: string, password = 'x') =>
        jsonFrom('127.0.0.20', `${srv.url}/api/login`, 'POST', { username: 'agent', password }, { 'x-forwarded-for': forwarded })
      for (let i = 0; i < 5; i++) expect((await guess(trusted, '203.0.113.7')).status).toBe(401)
      expect((await guess(trusted, '203.0.113.7', 'demo')).status).toBe(429)
      // Another client behind the same proxy is not slowed by the first one's guesses.
      expect((await guess(trusted, '203.0.113.8', 'demo')).status).toBe(200)
      // Without trust the header is ignored: every client is the proxy's address.
      for (let i = 0; i < 5; i++) expect((await guess(direct, `198.51.100.${i}`)).status).toBe(401)
      expect((await guess(direct, '198.51.100.99', 'demo')).status).toBe(429)
    } finally {
      await trusted.stop()
      await direct.stop()
    }
  }, 60_000)
})
