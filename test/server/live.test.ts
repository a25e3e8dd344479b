import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { readForm, readNotes } from '../../src/core'
import { serverDoc } from '../helpers/convergence'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { until, useLiveServer } from '../helpers/live'
import { type StorageChoice } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

for (const storage of storages) {
  describe(`live (${storage})`, () => {
    const env = useLiveServer(storage)
    const { connect } = env

    it('serves a case to a stock y-websocket client, refuses its forbidden writes and stores its allowed ones', async () => {
      const agent = await newDevice(env.srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 41)
      await agent.engine.sync()
      const expectedForm = readForm(await agent.store.doc(caseId))

      const township = connect(caseId, await env.srv.login('township'))
      await until(() => township.provider.synced && readForm(township.doc).applicant_name === expectedForm.applicant_name)
      expect(readForm(township.doc)).toEqual(expectedForm)

      // A township clerk may not edit the form of a submitted case: the server refuses it.
      const before = (await env.srv.storage.caseLog(caseId)).length
      township.doc.getMap('form').set('applicant_name', '篡改')
      // The refused client is brought back by the server's correction.
      await until(() => readForm(township.doc).applicant_name === expectedForm.applicant_name)
      // … and may add a note of their own.
      const clerk = connect(caseId, await env.srv.login('township'))
      await until(() => clerk.provider.synced)
      const user = await env.srv.storage.findUserByUsername('township')
      clerk.doc.getMap('notes').set('note-live-0001', { id: 'note-live-0001', by: user!.id, role: 'township', at: new Date().toISOString(), text: '材料已收到' })
      await until(async () => readNotes(await serverDoc(env.srv.storage, caseId)).length === 1)
      expect((await env.srv.storage.caseLog(caseId)).length).toBe(before + 2) // the correction and the note
      const stored = await serverDoc(env.srv.storage, caseId)
      expect(readForm(stored).applicant_name).toBe(expectedForm.applicant_name)
      expect(readNotes(stored)[0]).toMatchObject({ text: '材料已收到', role: 'township' })

      // The device sees the note after its next pull.
      await agent.engine.sync()
      expect(readNotes(await agent.store.doc(caseId)).map((n) => n.text)).toEqual(['材料已收到'])
    })

    it('broadcasts changes made through HTTP sync to live clients', async () => {
      const agent = await newDevice(env.srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 42)
      await agent.engine.sync()
      const live = connect(caseId, await env.srv.login('agent'))
      await until(() => live.provider.synced)
      await agent.store.addNote(caseId, '请补充银行卡复印件')
      await agent.engine.sync()
      await until(() => readNotes(live.doc).some((n) => n.text === '请补充银行卡复印件'))
    })

    it('survives oversized messages and malformed paths on its WebSockets', async () => {
      const token = await env.srv.login('agent')
      const ws = new WebSocket(`${env.srv.url.replace('http', 'ws')}/api/live?token=${token}`)
      await new Promise((r) => ws.on('open', r))
      const closed = new Promise((r) => ws.on('close', r))
      ws.send(Buffer.alloc(3 * 1024 * 1024)) // over the 2 MiB limit
      await closed
      const status = await new Promise<number>((resolve) => {
        const bad = new WebSocket(`${env.srv.url.replace('http', 'ws')}/yjs/%E0%A4%A?token=${token}`)
        bad.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        bad.on('error', () => resolve(-1))
      })
      expect(status).toBe(404)
      expect((await env.srv.api('/api/health')).status).toBe(200)
    })

    it('refuses a live connection to a case outside the scope or without a valid token', async () => {
      const agent = await newDevice(env.srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 43)
      await agent.engine.sync()
      const statusOf = (token: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`${env.srv.url.replace('http', 'ws')}/yjs/${caseId}?token=${token}`)
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
          ws.on('open', () => resolve(101))
        })
      expect(await statusOf(await env.srv.login('township2'))).toBe(404)
      expect(await statusOf(await env.srv.login('county'))).toBe(404) // not forwarded
      expect(await statusOf('v1.bad.token')).toBe(401)
    })

    it('tells an online township device to pull when a case enters its scope, and nobody else', async () => {
      const listen = async (username: string) => {
        const messages: { type: string }[] = []
        const ws = new WebSocket(`${env.srv.url.replace('http', 'ws')}/api/live?token=${await env.srv.login(username)}`)
        ws.on('message', (m) => messages.push(JSON.parse(String(m))))
        await new Promise((r) => ws.on('open', r))
        return { messages, ws }
      }
      const township = await listen('township')
      const township2 = await listen('township2')
      await until(() => township.messages.length === 1 && township2.messages.length === 1) // hello
      const agent = await newDevice(env.srv.url, 'agent')
      await takeInCase(agent, itemNamed(agent, '临时救助'), 44)
      await agent.engine.sync()
      await until(() => township.messages.some((m) => m.type === 'pull'))
      await new Promise((r) => setTimeout(r, 500))
      expect(township2.messages.filter((m) => m.type === 'pull')).toEqual([])
      township.ws.close()
      township2.ws.close()
    })
  })
}
