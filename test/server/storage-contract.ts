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

    it('reserves login attempts one at a time: 50 parallel callers get exactly the free ones', async () => {
      const keys = [{ key: 'pair:race|addr', windowMs: 60_000 }]
      const now = Date.now()
      const waits = await Promise.all(
        Array.from({ length: 50 }, () => s.reserveLoginAttempt(keys, now, (rows) => ((rows[0]?.count ?? 0) >= 5 ? 1000 : 0))),
      )
      expect(waits.filter((w) => w === 0).length).toBe(5)
      expect((await s.getLoginFailures('pair:race|addr'))?.count).toBe(5)
      expect(await s.pruneLoginFailures(Date.now() + 60_000)).toBeGreaterThanOrEqual(1)
      expect(await s.getLoginFailures('pair:race|addr')).toBeUndefined()
    })

    it('revokes a device once and keeps the highest receipt sequence at revocation', async () => {
      const d = await s.enrolDevice({ id: 'device-revoke-1', userId: 'u9' as UserId, villageCode: '340826199999', publicKey: '{"kty":"EC"}', label: '' })
      expect(d).toMatchObject({ revokedAt: null, highestPaperSeqAtRevocation: null })
      const r = await s.revokeDevice(d.id, 5000, 12)
      expect(r).toMatchObject({ revokedAt: 5000, highestPaperSeqAtRevocation: 12 })
      expect((await s.revokeDevice(d.id, 9000, null))?.revokedAt).toBe(5000)
    })

    it('keeps unfinished uploads per uploader and records who completed a blob', async () => {
      const bytes = new Uint8Array([1, 2, 3, 4])
      await s.putBlobChunk('h'.repeat(64), 'ua', 0, 8, bytes)
      await s.putBlobChunk('h'.repeat(64), 'ub', 0, 9, bytes.subarray(0, 2))
      expect(await s.uploadInfo('h'.repeat(64), 'ua')).toEqual({ complete: false, size: 8, received: 4 })
      expect(await s.uploadInfo('h'.repeat(64), 'ub')).toEqual({ complete: false, size: 9, received: 2 })
      expect(await s.unlinkedBytesOf('ua')).toBe(4)
      await s.completeBlob('h'.repeat(64), 'ua', bytes)
      expect(await s.isBlobOwner('h'.repeat(64), 'ua')).toBe(true)
      expect(await s.isBlobOwner('h'.repeat(64), 'ub')).toBe(false)
      expect(await s.uploadInfo('h'.repeat(64), 'ua')).toBeUndefined()
      expect(await s.uploadInfo('h'.repeat(64), 'ub')).toMatchObject({ received: 2 })
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
