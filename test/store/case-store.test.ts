import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { UserId } from '../../src/core'
import { CaseStore } from '../../src/store/case-store'
import { openDb } from '../../src/store/db'

describe('case-store', () => {
  it('gives concurrent readers one document, so no edit lands on a copy', async () => {
    const db = openDb('single-flight', { indexedDB: new IDBFactory(), IDBKeyRange })
    const identity = { deviceId: 'dev-00000001', deviceNumber: 1, userId: 'u1' as UserId, role: 'agent' as const, scope: '340826106001' }
    const first = new CaseStore(db, identity)
    const { caseId } = await first.createCase({ code: 'DEMO-1' as never, version: 1, name: '临时救助' })
    for (let run = 0; run < 10; run++) {
      const store = new CaseStore(db, identity) // a fresh cache: the case must be rebuilt
      const [a, b] = await Promise.all([store.doc(caseId), store.doc(caseId)])
      expect(a).toBe(b)
      await Promise.all([store.setField(caseId, 'f', `first-${run}`), store.doc(caseId)])
      await store.setField(caseId, 'f', `second-${run}`)
      const rebuilt = new CaseStore(db, identity)
      expect((await rebuilt.doc(caseId)).getMap('form').get('f')).toBe(`second-${run}`)
    }
  })
})
