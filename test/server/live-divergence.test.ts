import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CaseRoots, type CaseId } from '../../src/core'
import { serverDoc } from '../helpers/convergence'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { until, useLiveServer } from '../helpers/live'
import { type StorageChoice } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

const content = (doc: Y.Doc) => Object.fromEntries(CaseRoots.map((r) => [r, doc.getMap(r).toJSON()]))

for (const storage of storages) {
  describe(`live divergence (${storage})`, () => {
    const env = useLiveServer(storage)
    const { connect } = env

    it('brings a stock y-websocket client back to the server\'s document after a forged write to workflow', async () => {
      const agent = await newDevice(env.srv.url, 'agent')
      const caseId = (await takeInCase(agent, itemNamed(agent, '临时救助'), 81)) as CaseId
      await agent.engine.sync()
      const clerk = connect(caseId, await env.srv.login('township'))
      await until(() => clerk.provider.synced && clerk.doc.getMap('workflow').size > 0)
      const workflowBefore = JSON.stringify(clerk.doc.getMap('workflow').toJSON())
      const statusBefore = (await env.srv.storage.getCase(caseId))!.status

      const junk = 'forged-'.repeat(2000)
      clerk.doc.transact(() => {
        clerk.doc.getMap('workflow').set('state', { status: 'approved' })
        clerk.doc.getMap('workflow').set('junk', junk)
        clerk.doc.getMap('meta').delete('number')
      })
      expect(JSON.stringify(clerk.doc.getMap('workflow').toJSON())).not.toBe(workflowBefore)

      await until(async () => JSON.stringify(content(clerk.doc)) === JSON.stringify(content(await serverDoc(env.srv.storage, caseId))))
      expect(JSON.stringify(clerk.doc.getMap('workflow').toJSON())).toBe(workflowBefore)
      expect(clerk.doc.getMap('workflow').has('junk')).toBe(false)
      expect(clerk.doc.getMap('meta').get('number')).toBeTruthy()
      // The refused content is not kept in the log.
      const log = await env.srv.storage.caseLog(caseId)
      for (const e of log) expect(Buffer.from(e.data).includes('forged-forged-')).toBe(false)
      expect((await env.srv.storage.getCase(caseId))?.status).toBe(statusBefore)

      // And the client keeps working: an allowed note goes through and the documents stay equal.
      const user = (await env.srv.storage.findUserByUsername('township'))!
      clerk.doc.getMap('notes').set('note-after-fix', { id: 'note-after-fix', by: user.id, role: 'township', at: new Date().toISOString(), text: '已核对' })
      await until(async () => (await serverDoc(env.srv.storage, caseId)).getMap('notes').has('note-after-fix'))
      await until(async () => JSON.stringify(content(clerk.doc)) === JSON.stringify(content(await serverDoc(env.srv.storage, caseId))))
    })
  })
}
