import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createCalendar, dayInChina, readForm, readNotes, readWorkflow, yearOf } from '../../src/core'
import { login } from '../../src/sync/device'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { createTempDatabase, hasPostgres } from '../helpers/pg'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe.skipIf(!hasPostgres())('two server instances on one PostgreSQL', () => {
  let a: ServerProcess
  let b: ServerProcess
  let drop: () => Promise<void>
  beforeAll(async () => {
    const db = await createTempDatabase()
    drop = db.drop
    // Started together: both migrate the same empty database at once.
    ;[a, b] = await Promise.all([startServerProcess({ DATABASE_URL: db.url }), startServerProcess({ DATABASE_URL: db.url })])
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    await drop?.()
  })

  it('pulls through one instance a case pushed through the other', async () => {
    const agent = await newDevice(a.url, 'agent')
    const caseId = await takeInCase(agent, itemNamed(agent, '最低生活保障'), 51)
    await agent.engine.sync()
    const township = await newDevice(b.url, 'township')
    await township.engine.sync()
    expect((await township.db.cases.get(caseId))?.status).toBe('submitted')
    expect(readForm(await township.store.doc(caseId))).toEqual(readForm(await agent.store.doc(caseId)))
    // And a decision taken through B reaches the agent through A.
    await township.store.queueCommand(caseId, { type: 'accept' })
    await township.engine.sync()
    await agent.engine.sync()
    expect((await agent.db.cases.get(caseId))?.status).toBe('accepted')
  })

  it('applies a working-day arrangement loaded through one instance to deadlines computed by the other', async () => {
    const today = dayInChina(Date.now())
    const next = yearOf(today) + 1
    // An official arrangement for next year with its first two weeks off.
    const holidays = Array.from({ length: 14 }, (_, i) => `${next}-01-${String(i + 1).padStart(2, '0')}`)
    const arrangement = { year: next, holidays, workdays: [] }
    const admin = await login(a.url, 'admin', 'demo')
    const res = await fetch(`${a.url}/api/calendar/${next}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: JSON.stringify(arrangement) })
    expect(res.status).toBe(200)

    const agent = await newDevice(a.url, 'agent')
    const item = itemNamed(agent, '最低生活保障') // 30 working days: the deadline falls in next year
    const caseId = await takeInCase(agent, item, 53)
    await agent.engine.sync()
    const township = await newDevice(b.url, 'township')
    await township.engine.sync()
    await township.store.queueCommand(caseId, { type: 'accept' })
    await township.engine.sync()
    const clock = readWorkflow(await township.store.doc(caseId)).state?.clock
    expect(clock).toMatchObject({ estimated: false, deadline: createCalendar([arrangement]).addWorkingDays(today, item.promisedLimitDays).date })
  })

  it('wakes live clients on one instance when a write goes through the other', async () => {
    const agent = await newDevice(a.url, 'agent')
    const caseId = await takeInCase(agent, itemNamed(agent, '最低生活保障'), 52)
    await agent.engine.sync()

    const township = await newDevice(b.url, 'township')
    const hints: { type: string }[] = []
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/live?token=${(await (await fetch(`${b.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'township', password: 'demo' }) })).json()).token}`)
    ws.on('message', (m) => hints.push(JSON.parse(String(m))))
    await new Promise((r) => ws.on('open', r))

    const doc = new Y.Doc()
    const agentToken = (await (await fetch(`${b.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent', password: 'demo' }) })).json()).token
    const provider = new WebsocketProvider(b.url.replace('http', 'ws') + '/yjs', caseId, doc, { params: { token: agentToken }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true })
    await until(() => provider.synced)

    await agent.store.addNote(caseId, '经办人已电话核实')
    await agent.engine.sync() // through A
    await until(() => readNotes(doc).some((n) => n.text === '经办人已电话核实'))
    await until(() => hints.some((h) => h.type === 'pull'))
    await township.engine.sync()
    expect(readNotes(await township.store.doc(caseId)).map((n) => n.text)).toContain('经办人已电话核实')
    provider.destroy()
    ws.close()
  })
})
