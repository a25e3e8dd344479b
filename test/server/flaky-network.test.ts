import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseId } from '../../src/core'
import { expectConverged } from '../helpers/convergence'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

/** Keeps syncing through failures until the device has nothing pending. */
async function syncThrough(device: Awaited<ReturnType<typeof newDevice>>, maxAttempts = 300): Promise<number> {
  let failures = 0
  for (let i = 0; i < maxAttempts; i++) {
    try {
      await device.engine.sync()
      if ((await device.engine.pendingCount()) === 0) return failures
    } catch {
      failures++
    }
  }
  throw new Error('never converged')
}

for (const storage of storages) {
  describe(`flaky network (${storage})`, () => {
    let srv: TestServer
    let proxy: FlakyProxy
    beforeAll(async () => {
      srv = await startTestServer(storage)
      proxy = await startFlakyProxy(srv.url, { seed: storage === 'sqlite' ? 11 : 12, drop: 0.25, cut: 0.3, maxDelayMs: 15 })
    })
    afterAll(async () => {
      await proxy?.close()
      await srv?.stop()
    })

    it('converges through dropped connections, delays and responses cut midway', async () => {
      // Log in over the good link; every sync request goes through the flaky one.
      const viaProxy: typeof fetch = (input, init) => {
        const url = String(input)
        return fetch(url.endsWith('/api/sync') ? url.replace(srv.url, proxy.url) : url, init)
      }
      const agent = await newDevice(srv.url, 'agent', { sync: { maxCasesPerRequest: 5 }, fetch: viaProxy })
      const township = await newDevice(srv.url, 'township', { sync: { pullLimit: 7 }, fetch: viaProxy })

      const ids: CaseId[] = []
      const item = itemNamed(agent, '临时救助')
      for (let i = 0; i < 40; i++) ids.push(await takeInCase(agent, item, 900 + i))
      let failures = await syncThrough(agent)

      failures += await syncThrough(township)
      for (const id of ids.slice(0, 20)) await township.store.queueCommand(id, { type: 'accept' })
      for (const id of ids.slice(20, 30)) await township.store.queueCommand(id, { type: 'return', corrections: [{ label: '居民身份证', reason: '复印件不清晰' }] })
      failures += await syncThrough(township)

      failures += await syncThrough(agent)
      for (const id of ids.slice(20, 30)) {
        await agent.store.setField(id, 'address', '安徽省安庆市宿松县华亭镇破凉社区新屋组8号')
        await agent.store.queueCommand(id, { type: 'submit' })
      }
      failures += await syncThrough(agent)

      proxy.heal()
      await township.engine.sync()
      await agent.engine.sync()

      expect(failures).toBeGreaterThan(5) // the link really misbehaved
      expect(proxy.stats.dropped + proxy.stats.cut).toBeGreaterThan(5)
      const statuses = await Promise.all(ids.map(async (id) => (await srv.storage.getCase(id))?.status))
      expect(statuses.filter((s) => s === 'accepted').length).toBe(20)
      expect(statuses.filter((s) => s === 'submitted').length).toBe(20) // 10 never touched + 10 corrected and resubmitted
      await expectConverged(srv.storage, [agent, township], ids)
      // Each command took effect exactly once despite re-sent batches.
      const events = await Promise.all(ids.map(async (id) => (await srv.storage.auditOf(id)).filter((a) => a.action.startsWith('command:')).length))
      expect(events.slice(0, 20).every((n) => n === 2)).toBe(true) // submit, accept
      expect(events.slice(20, 30).every((n) => n === 3)).toBe(true) // submit, return, submit
    }, 180_000)
  })
}
