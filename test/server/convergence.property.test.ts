import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStatuses, readWorkflow, TerminalStatuses, type CaseId, type CommandType } from '../../src/core'
import type { CommandInput } from '../../src/store/case-store'
import { expectConverged, serverDoc } from '../helpers/convergence'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { recordingFetch, type Recorder } from '../helpers/recording-transport'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
type Dev = Awaited<ReturnType<typeof newDevice>>
const WHO = ['agent', 'township', 'county'] as const
type Who = (typeof WHO)[number]

const CORRECTION = { label: '居民身份证', reason: '复印件不清晰' }
function commandOf(type: CommandType): CommandInput {
  switch (type) {
    case 'return':
      return { type, corrections: [CORRECTION] }
    case 'refuse':
      return { type, reason: '不符合条件', appeal: '可申请行政复议' }
    case 'complete':
      return { type, decision: 'approved' }
    case 'withdraw':
      return { type, reason: '本人要求撤回' }
    case 'deliver':
      return { type, method: 'agent' }
    case 'rate':
      return { type, rating: 5 }
    case 'suspend':
      return { type, procedure: 'public_notice' }
    default:
      return { type } as CommandInput
  }
}

const COMMANDS_OF: Record<Who, CommandType[]> = {
  agent: ['submit', 'submit', 'deliver', 'deliver', 'rate', 'withdraw'],
  township: ['accept', 'accept', 'return', 'forward', 'forward', 'complete', 'refuse', 'suspend', 'resume', 'deliver', 'archive'],
  county: ['complete', 'complete', 'return', 'suspend', 'resume'],
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), c: fc.nat(1), field: fc.constantFrom('address', 'reason', 'bank_account_name'), text: fc.string({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('note' as const), who: fc.constantFrom(...WHO), c: fc.nat(1), text: fc.string({ minLength: 1, maxLength: 12 }) }),
  // Each role mostly issues the commands its screens offer.
  {
    weight: 5,
    arbitrary: fc.constantFrom(...WHO).chain((who) =>
    fc.record({
      kind: fc.constant('command' as const),
      who: fc.constant(who),
      c: fc.nat(1),
      type: fc.constantFrom<CommandType>(...COMMANDS_OF[who]),
      andSync: fc.boolean(),
    }),
  ),
  },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), who: fc.constantFrom(...WHO) }), weight: 3 },
  fc.record({ kind: fc.constant('replay' as const), who: fc.constantFrom(...WHO), k: fc.nat(50) }),
)

for (const storage of storages) {
  describe(`convergence (${storage})`, () => {
    let srv: TestServer
    const devices = {} as Record<Who, Dev>
    const recorders = {} as Record<Who, Recorder>
    beforeAll(async () => {
      srv = await startTestServer(storage)
      for (const who of WHO) {
        recorders[who] = recordingFetch()
        devices[who] = await newDevice(srv.url, who, { fetch: recorders[who].fetch })
      }
    })
    afterAll(async () => srv?.stop())

    it('ends with identical documents everywhere and a consistent workflow, whatever the interleaving', async () => {
      const reached = new Set<string>()
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 80 }), fc.integer({ min: 1, max: 1e6 }), async (ops, seed) => {
          const agent = devices.agent
          const item = itemNamed(agent, seed % 3 ? '最低生活保障' : '临时救助') // county-level and township-level items
          const ids: CaseId[] = []
          for (let i = 0; i < 2; i++) ids.push(await takeInCase(agent, item, seed + i, i === 0)) // the second stays a draft at first
          if (seed % 2) {
            await agent.engine.sync()
            await devices.township.engine.sync()
          }
          for (const o of ops) {
            switch (o.kind) {
              case 'edit':
                await agent.store.setField(ids[o.c]!, o.field, o.text)
                break
              case 'note':
                if (await devices[o.who].db.cases.get(ids[o.c]!)) await devices[o.who].store.addNote(ids[o.c]!, o.text)
                break
              case 'command':
                // Queued even on stale data: a clerk may act on a list the device has not refreshed.
                await devices[o.who].store.queueCommand(ids[o.c]!, commandOf(o.type))
                if (o.andSync) await devices[o.who].engine.sync()
                break
              case 'sync':
                await devices[o.who].engine.sync()
                break
              case 'replay':
                await recorders[o.who].replay(o.k)
                break
            }
          }
          // Everyone comes back online.
          for (let round = 0; round < 2; round++) for (const who of WHO) await devices[who].engine.sync()
          for (const who of WHO) expect(await devices[who].engine.pendingCount()).toBe(0)
          await expectConverged(srv.storage, Object.values(devices), ids)

          for (const id of ids) {
            const stored = await srv.storage.getCase(id)
            expect(stored).toBeDefined()
            const { state, events } = readWorkflow(await serverDoc(srv.storage, id))
            const status = state?.status ?? 'draft'
            reached.add(status)
            expect(CaseStatuses).toContain(status)
            expect(stored!.status).toBe(status) // the queue row agrees with the document
            expect(events.at(-1)?.status ?? 'draft').toBe(status === 'draft' ? 'draft' : events.at(-1)!.status)
            // Nothing happens after a terminal state, and a clock exists exactly when the case was accepted.
            const terminalAt = events.findIndex((e) => TerminalStatuses.includes(e.status))
            if (terminalAt >= 0) expect(terminalAt).toBe(events.length - 1)
            expect(Boolean(state?.clock)).toBe(events.some((e) => e.type === 'accept'))
            expect(state?.reachedCounty ?? false).toBe(events.some((e) => e.type === 'forward'))
            // The county holds the case exactly when it was forwarded.
            expect(Boolean(await devices.county.db.cases.get(id))).toBe(state?.reachedCounty ?? false)
          }
        }),
        { numRuns: 25, seed: storage === 'sqlite' ? 4242 : 4343 },
      )
      // The generator really explores the workflow, not only intake.
      expect(reached.size).toBeGreaterThanOrEqual(6)
    }, 240_000)
  })
}
