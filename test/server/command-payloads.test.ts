// Issue 8.1: a command is its schema exactly. On every command type, in a state where the clean
// command succeeds, an extra field nested 5,000 levels deep and a 3 MB junk field are refused
// (invalid_command, naming the field); afterwards fresh devices of every scope sync cleanly and no
// stored log entry carries the junk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommandTypes, readWorkflow, type CaseId, type CommandType } from '../../src/core'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { deepJson, sendRawCommand } from '../helpers/raw-sync'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const JUNK = 3 * 1024 * 1024

type Who = 'agent' | 'township' | 'county' | 'admin'
const PAYLOAD: Record<CommandType, string> = {
  submit: '',
  withdraw: ',"reason":"申请人本人要求撤回"',
  discard: '',
  accept: '',
  return: ',"corrections":[{"path":"materials.id_card","label":"居民身份证","reason":"复印件不清晰"}]',
  refuse: ',"reason":"不属于本事项受理范围","appeal":"可于60日内申请行政复议"',
  forward: '',
  complete: ',"decision":"approved"',
  deliver: ',"method":"agent","trips":1',
  rate: ',"rating":2',
  archive: '',
  suspend: ',"procedure":"public_notice"',
  resume: '',
  claim: '',
  release: '',
  answerFollowUp: ',"answer":"已核实整改，并电话告知申请人"',
  voidRating: ',"reason":"经核实为误操作"',
}
const clean = (type: CommandType, extra = '') => `{"type":"${type}","at":"${new Date().toISOString()}"${PAYLOAD[type]}${extra}}`

for (const storage of storages) {
  describe(`command payloads (${storage})`, () => {
    let srv: TestServer
    const tokens = {} as Record<Who, string>
    beforeAll(async () => {
      srv = await startTestServer(storage)
      for (const who of ['agent', 'township', 'county', 'admin'] as const) tokens[who] = await srv.login(who)
    })
    afterAll(async () => srv?.stop())

    it('refuses a 5,000-level deep and a 3 MB extra field on every command type, then every scope syncs cleanly', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const main = await takeInCase(agent, itemNamed(agent, '最低生活保障'), 31, false)
      const toRefuse = await takeInCase(agent, itemNamed(agent, '临时救助'), 32, false)
      const toWithdraw = await takeInCase(agent, itemNamed(agent, '临时救助'), 33, false)
      const toDiscard = await takeInCase(agent, itemNamed(agent, '临时救助'), 34, false)
      expect(await agent.engine.sync()).toMatchObject({ rejected: 0 })

      const tried = new Set<CommandType>()
      const step = async (who: Who, caseId: CaseId, type: CommandType, status?: string) => {
        for (const [what, extra, field] of [
          ['deep', `,"extra":${deepJson(5000)}`, 'extra'],
          ['huge', `,"junk":"${'x'.repeat(JUNK)}"`, 'junk'],
        ] as const) {
          const a = await sendRawCommand(srv.url, tokens[who], caseId, clean(type, extra))
          expect({ type, what, ok: a.ok, code: !a.ok && a.code }).toEqual({ type, what, ok: false, code: 'invalid_command' })
          expect(!a.ok && a.message).toContain(`'${field}'`)
        }
        const good = await sendRawCommand(srv.url, tokens[who], caseId, clean(type))
        expect({ type, good }).toMatchObject({ type, good: { ok: true, ...(status ? { status } : {}) } })
        tried.add(type)
      }
      await step('agent', main, 'submit', 'submitted')
      await step('township', main, 'claim', 'submitted')
      await step('township', main, 'release', 'submitted')
      await step('township', main, 'accept', 'accepted')
      await step('township', main, 'suspend', 'accepted')
      await step('township', main, 'resume', 'accepted')
      await step('township', main, 'return', 'returned')
      await sendRawCommand(srv.url, tokens.agent, main, clean('submit'))
      await step('township', main, 'forward', 'forwarded')
      await step('county', main, 'complete', 'completed')
      await step('agent', main, 'deliver', 'delivered')
      await step('agent', main, 'rate', 'delivered')
      await step('township', main, 'answerFollowUp', 'delivered')
      await step('admin', main, 'voidRating', 'delivered')
      await step('township', main, 'archive', 'archived')
      await sendRawCommand(srv.url, tokens.agent, toRefuse, clean('submit'))
      await step('township', toRefuse, 'refuse', 'refused')
      await step('agent', toWithdraw, 'withdraw', 'withdrawn')
      await step('agent', toDiscard, 'discard', 'withdrawn')
      expect([...tried].sort()).toEqual([...CommandTypes].sort())

      // Nothing of the junk reached the log: every entry is small and has no trace of it.
      for (const caseId of [main, toRefuse, toWithdraw])
        for (const e of await srv.storage.caseLog(caseId)) {
          expect(e.data.byteLength).toBeLessThan(64 * 1024)
          expect(Buffer.from(e.data).includes('junk')).toBe(false)
        }

      // Fresh devices of every scope, built with the project's own sync engine, sync cleanly.
      for (const who of ['agent', 'township', 'county'] as const) {
        const device = await newDevice(srv.url, who)
        const r = await device.engine.sync()
        expect({ who, undecodable: r.undecodable, rejected: r.rejected }).toEqual({ who, undecodable: 0, rejected: 0 })
        if (who !== 'county') {
          const wf = readWorkflow(await device.store.doc(main))
          expect(wf.state?.status).toBe('archived')
          expect(wf.events.map((e) => e.type)).toContain('complete')
          for (const e of wf.events) expect(Object.keys(e.detail ?? {})).not.toContain('extra')
        }
      }
    })

    it('refuses unknown fields inside a correction item and texts past their bound, naming the field', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '临时救助'), 34)
      await agent.engine.sync()
      const at = new Date().toISOString()
      const nested = await sendRawCommand(srv.url, tokens.township, caseId, `{"type":"return","at":"${at}","corrections":[{"label":"a","reason":"b","x":${deepJson(5000)}}]}`)
      expect(nested).toMatchObject({ ok: false, code: 'invalid_command', message: expect.stringContaining("'x'") })
      const long = await sendRawCommand(srv.url, tokens.township, caseId, `{"type":"refuse","at":"${at}","reason":"${'长'.repeat(2001)}","appeal":"复议"}`)
      expect(long).toMatchObject({ ok: false, code: 'invalid_command', message: expect.stringContaining('reason') })
      const deepKnown = await sendRawCommand(srv.url, tokens.township, caseId, `{"type":"refuse","at":"${at}","reason":${deepJson(5000)},"appeal":"复议"}`)
      expect(deepKnown).toMatchObject({ ok: false, code: 'invalid_command' })
    })
  })
}
