// A request the schema refuses is answered 400 bad_request with one reason naming the field.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server'

describe('schema-errors', () => {
  let srv: TestServer
  let agent: string
  beforeAll(async () => {
    srv = await startTestServer('sqlite')
    agent = await srv.login('agent')
  })
  afterAll(async () => srv?.stop())

  const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error })

  it('names the field that has the wrong form, is missing or is unknown', async () => {
    const enrol = (json: unknown) => srv.api('/api/devices', { method: 'POST', token: agent, json })
    expect(await errorOf(await enrol({ deviceId: 'no spaces allowed', publicKey: 'k'.repeat(40) }))).toMatchObject({ status: 400, code: 'bad_request', message: expect.stringMatching(/^body\.deviceId: /) })
    expect(await errorOf(await enrol({ deviceId: 'device-0001' }))).toMatchObject({ status: 400, code: 'bad_request', message: 'body.publicKey: is required' })
    expect(await errorOf(await enrol({ deviceId: 'device-0001', publicKey: 'k'.repeat(40), owner: 'someone' }))).toMatchObject({ status: 400, message: 'body.owner: unknown field' })
    expect(await errorOf(await srv.api('/api/login', { method: 'POST', json: { username: 42, password: 'demo' } }))).toMatchObject({ status: 400, message: expect.stringMatching(/^body\.username: /) })
  })

  it('names query and path parameters', async () => {
    const township = await srv.login('township')
    expect(await errorOf(await srv.api('/api/queue?limit=9999', { token: township }))).toMatchObject({ status: 400, message: expect.stringMatching(/^query\.limit: /) })
    expect(await errorOf(await srv.api('/api/queue?colour=red', { token: township }))).toMatchObject({ status: 400, message: 'query.colour: unknown field' })
    const admin = await srv.login('admin')
    expect(await errorOf(await srv.api('/api/devices/bad%20id/revoke', { method: 'POST', token: admin }))).toMatchObject({ status: 400, message: expect.stringMatching(/^params\.id: /) })
  })

  it('answers a known path with another method 405 with Allow, and checks the sign-in before reading the body', async () => {
    const res = await srv.api('/api/devices', { method: 'DELETE', token: agent })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect((await errorOf(res)).code).toBe('method_not_allowed')
    expect(await errorOf(await srv.api('/api/devices', { method: 'POST', json: { not: 'checked' } }))).toMatchObject({ status: 401, code: 'unauthenticated' })
  })
})
