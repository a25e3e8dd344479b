import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readWorkflow, DISCARDED_DRAFT } from '../../src/core'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { sendRawCommand } from '../helpers/raw-sync'
import { startTestServer, type TestServer } from '../helpers/server'

const discard = () => JSON.stringify({ type: 'discard', at: new Date().toISOString() })

describe('discard', () => {
  let srv: TestServer
  beforeAll(async () => {
    srv = await startTestServer('sqlite')
  })
  afterAll(async () => srv?.stop())

  it('discards a draft never taken in, records it in the audit trail, and refuses it once taken in', async () => {
    const token = await srv.login('agent')
    const agent = await newDevice(srv.url, 'agent')
    const draft = await takeInCase(agent, itemNamed(agent, '临时救助'), 41, false)
    const submitted = await takeInCase(agent, itemNamed(agent, '临时救助'), 42, false)
    await agent.engine.sync()
    expect(await sendRawCommand(srv.url, token, submitted, JSON.stringify({ type: 'submit', at: new Date().toISOString() }))).toMatchObject({ ok: true, status: 'submitted' })

    expect(await sendRawCommand(srv.url, token, draft, discard())).toMatchObject({ ok: true, status: 'withdrawn' })
    expect((await srv.storage.auditOf(draft)).map((a) => a.action)).toContain('command:discard')
    expect(await sendRawCommand(srv.url, token, submitted, discard())).toMatchObject({ ok: false, code: 'invalid_state' })

    await agent.engine.sync()
    expect(readWorkflow(await agent.store.doc(draft)).state).toMatchObject({ status: 'withdrawn', withdrawal: { reason: DISCARDED_DRAFT } })
  })
})
