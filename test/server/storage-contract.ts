// The storage contract: every Storage implementation runs exactly this suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DivisionCode, ItemCode, OrgUnit, ServiceItem, UserId } from '../../src/core'
import type { Storage } from '../../sync-server/storage'
import { demoItems, demoOrgUnits } from '../../sync-server/demo-data'
import { buildCase, insertCases, itemByName } from '../helpers/queue-data'

export interface StorageHarness {
  open(): Promise<Storage>
  /** Removes whatever open() created (files, databases). */
  cleanup(): Promise<void>
}

export function runStorageContract(name: string, harness: () => Promise<StorageHarness>): void {
  describe(`storage contract: ${name}`, () => {
    let h: StorageHarness
    let s: Storage

    beforeAll(async () => {
      h = await harness()
      s = await h.open()
    })
    afterAll(async () => {
      await s?.close()
      await h?.cleanup()
    })

    it('migrates twice without harm', async () => {
      await s.migrate()
      await s.migrate()
    })

    it('stores a setting once: the first writer wins', async () => {
      expect(await s.getSetting('k')).toBeUndefined()
      expect(await s.setSettingOnce('k', 'first')).toBe('first')
      expect(await s.setSettingOnce('k', 'second')).toBe('first')
      expect(await s.getSetting('k')).toBe('first')
    })

    it('stores and lists the org tree, updating units in place', async () => {
      await s.putOrgUnits(demoOrgUnits)
      await s.putOrgUnits([{ ...demoOrgUnits[3]!, name: '华亭镇（改）' } as OrgUnit])
      const units = await s.listOrgUnits()
      expect(units.length).toBe(demoOrgUnits.length)
      expect(units.find((u) => u.code === '340826106')?.name).toBe('华亭镇（改）')
      expect(units.find((u) => u.code === '340826106001')).toEqual(demoOrgUnits.find((u) => u.code === '340826106001'))
    })

    it('keeps item versions and lists the newest of each', async () => {
      await s.putItems(demoItems)
      const first = demoItems[0]!
      const v2: ServiceItem = { ...first, version: 2, name: `${first.name}（第二版）` }
      await s.putItems([v2])
      const list = await s.listItems()
      expect(list.length).toBe(demoItems.length)
      expect(list.find((i) => i.code === first.code)).toEqual(v2)
      expect(await s.getItem(first.code, 1)).toEqual(first)
      expect(await s.getItem('NOPE' as ItemCode, 1)).toBeUndefined()
    })

    it('creates users, finds them by name and id, and refuses a duplicate username', async () => {
      const u = await s.createUser({ username: 'clerk', passwordHash: 'scrypt$x', role: 'township', scope: '340826106' as DivisionCode, displayName: '窗口', department: 'civil_affairs' })
      expect(await s.findUserByUsername('clerk')).toEqual(u)
      expect(await s.getUser(u.id)).toEqual(u)
      expect(await s.getUser('missing' as UserId)).toBeUndefined()
      expect(u.disabled).toBe(false)
      await expect(s.createUser({ username: 'clerk', passwordHash: 'y', role: 'agent', scope: '340826106001' as DivisionCode, displayName: 'x', department: null })).rejects.toThrow()
      expect(await s.countUsers()).toBe(1)
    })

    it('counts login failures within a window and forgets them after it or on success', async () => {
      expect((await s.recordLoginFailure('user:a', 1000, 60_000)).count).toBe(1)
      expect((await s.recordLoginFailure('user:a', 2000, 60_000)).count).toBe(2)
      expect(await s.getLoginFailures('user:a')).toEqual({ count: 2, lastAt: 2000 })
      expect((await s.recordLoginFailure('user:a', 200_000, 60_000)).count).toBe(1)
      await s.clearLoginFailures('user:a')
      expect(await s.getLoginFailures('user:a')).toBeUndefined()
    })

    it('gives devices consecutive numbers per village, and the same number when enrolled again', async () => {
      const base = { userId: 'u1' as UserId, publicKey: '{"kty":"EC"}', label: 'tablet' }
      const a = await s.enrolDevice({ ...base, id: 'device-aaaa', villageCode: '340826106001' })
      const b = await s.enrolDevice({ ...base, id: 'device-bbbb', villageCode: '340826106001' })
      const c = await s.enrolDevice({ ...base, id: 'device-cccc', villageCode: '340826107291' })
      expect([a.deviceNumber, b.deviceNumber, c.deviceNumber]).toEqual([1, 2, 1])
      expect(await s.enrolDevice({ ...base, id: 'device-aaaa', villageCode: '340826106001' })).toEqual(a)
      expect(await s.getDevice('device-bbbb')).toEqual(b)
    })

    it('hands out distinct device numbers under concurrent enrolment', async () => {
      const base = { userId: 'u1' as UserId, publicKey: '{"kty":"EC"}', label: 'tablet', villageCode: '340826106291' }
      const devices = await Promise.all(Array.from({ length: 8 }, (_, i) => s.enrolDevice({ ...base, id: `device-conc-${i}` })))
      expect(new Set(devices.map((d) => d.deviceNumber)).size).toBe(8)
    })

    it('stores official working-day arrangements by year, replacing a year when loaded again', async () => {
      await s.putArrangement({ year: 2027, holidays: ['2027-01-01'], workdays: [] }, 'admin')
      await s.putArrangement({ year: 2027, holidays: ['2027-01-01', '2027-02-05'], workdays: ['2027-02-20'], source: 'notice' }, 'admin')
      expect(await s.listArrangements()).toEqual([{ year: 2027, holidays: ['2027-01-01', '2027-02-05'], workdays: ['2027-02-20'], source: 'notice' }])
    })

    it('keeps the queue routing columns of a case and pages its queue by (due, id)', async () => {
      const item = itemByName('临时救助')
      const recs = ['q3', 'q1', 'q2'].map((id, i) => buildCase({ id, village: '340826106001', item, name: '张三', created: '2026-03-02', steps: [['submit', 'agent', `2026-03-0${2 + (i % 2)}`]] }))
      await insertCases(s, recs)
      expect((await s.getCase('q3'))?.routing).toEqual(recs[0]!.routing)
      const scope = { column: 'township' as const, code: '340826106', department: null, reachedCounty: false, includeDrafts: false }
      const first = await s.queue({ scope, state: 'open', limit: 2, now: 0 })
      expect(first.map((r) => r.id)).toEqual(['q2', 'q3'])
      const last = first.at(-1)!
      expect((await s.queue({ scope, state: 'open', limit: 2, now: 0, after: { due: last.routing.due, id: last.id } })).map((r) => r.id)).toEqual(['q1'])
      expect(await s.queue({ scope: { ...scope, code: '340826107' }, state: 'all', limit: 10, now: 0 })).toEqual([])
    })
  })
}
