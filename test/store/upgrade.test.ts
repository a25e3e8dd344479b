import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initCaseDoc, setFormValue, type CaseId, type CaseNumber, type ItemCode, type UserId, type VillageCode } from '../../src/core'
import { DaibanDB, SCHEMA_V1 } from '../../src/store/db'

describe('upgrade', () => {
  it('opens a version-1 database with the current schema and keeps every row, filling the new fields', async () => {
    const indexedDB = new IDBFactory()
    const old = new Dexie('daiban-upgrade', { indexedDB, IDBKeyRange })
    old.version(1).stores(SCHEMA_V1)
    await old.open()
    const doc = new Y.Doc()
    initCaseDoc(doc, { id: 'case0001abcd' as CaseId, number: '340826106001-260212-003-0007-5' as CaseNumber, item: 'DEMO-1' as ItemCode, itemVersion: 1, village: '340826106001' as VillageCode, createdBy: 'u1' as UserId, createdAt: '2026-02-12T02:00:00Z', device: 'dev-1' })
    setFormValue(doc, 'applicant_name', '王秀英')
    setFormValue(doc, 'applicant_id', '34082619480705002x')
    await old.table('updates').add({ caseId: 'case0001abcd', update: Y.encodeStateAsUpdate(doc), sent: 0 })
    await old.table('cases').put({ id: 'case0001abcd', number: '340826106001-260212-003-0007-5', item: 'DEMO-1', itemName: '高龄津贴', village: '340826106001', status: 'draft', pendingCommand: null, applicant: '王*英', applicantId: '340826********002X', deadline: null, createdAt: '2026-02-12T02:00:00Z', updatedAt: '2026-02-12T02:00:00Z', unsynced: 1, problem: null })
    await old.table('outbox').add({ id: 'cmd-00000001', n: 1, caseId: 'case0001abcd', command: { type: 'submit', at: '2026-02-12T02:01:00Z' }, createdAt: '2026-02-12T02:01:00Z', state: 'pending' })
    await old.table('residents').put({ id: 'r1', name: '王秀英', idNumber: '34082619480705002X', phone: '13812345678', address: '破凉社区', village: '340826106001', createdAt: 'x', updatedAt: 'x' })
    await old.table('kv').put({ key: 'sync.cursor', value: 42 })
    old.close()

    const db = new DaibanDB('daiban-upgrade', { indexedDB, IDBKeyRange })
    await db.open()
    expect(db.verno).toBe(3)
    expect(await db.updates.count()).toBe(1)
    expect(await db.outbox.get('cmd-00000001')).toMatchObject({ state: 'pending', command: { type: 'submit' } })
    expect(await db.residents.count()).toBe(1)
    expect((await db.kv.get('sync.cursor'))?.value).toBe(42)
    const row = await db.cases.get('case0001abcd' as CaseId)
    expect(row).toMatchObject({ itemName: '高龄津贴', unsynced: 1, applicantKey: '34082619480705002X' })
    expect(row?.searchText).toContain('王秀英')
    // The new index works.
    expect((await db.cases.where('applicantKey').equals('34082619480705002X').toArray()).map((r) => r.id)).toEqual(['case0001abcd'])
    db.close()
  })
})
