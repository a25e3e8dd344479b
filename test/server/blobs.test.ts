import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpTransport } from '../../src/sync/transport'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

for (const storage of storages) {
  describe(`blobs (${storage})`, () => {
    let srv: TestServer
    let token: string
    beforeAll(async () => {
      srv = await startTestServer(storage)
      token = await srv.login('agent')
    })
    afterAll(async () => srv?.stop())

    const put = (hash: string, body: Uint8Array, offset: number, total: number, tok = token) =>
      srv.api(`/api/blobs/${hash}`, { method: 'PUT', token: tok, body: body as BodyInit, headers: { 'upload-offset': String(offset), 'upload-length': String(total), 'content-type': 'application/octet-stream' } })

    it('resumes an interrupted upload from the offset the server reports', async () => {
      const data = randomBytes(700_000)
      const hash = sha256(data)
      expect((await srv.api(`/api/blobs/${hash}`, { method: 'HEAD', token })).status).toBe(404)
      expect((await put(hash, data.subarray(0, 300_000), 0, data.length)).status).toBe(200)
      const head = await srv.api(`/api/blobs/${hash}`, { method: 'HEAD', token })
      expect(head.headers.get('upload-offset')).toBe('300000')
      expect(head.headers.get('blob-complete')).toBe('0')
      const wrong = await put(hash, data.subarray(100_000, 200_000), 100_000, data.length)
      expect(wrong.status).toBe(409)
      expect((await wrong.json()).error.details).toEqual({ offset: 300_000 })
      const done = await put(hash, data.subarray(300_000), 300_000, data.length)
      expect(done.status).toBe(201)
      expect(sha256((await srv.storage.getBlob(hash))!)).toBe(hash)
    })

    it('finishes an upload whose bytes all arrived but were never checked (a crash in between)', async () => {
      const data = randomBytes(300_000)
      const hash = sha256(data)
      const agentId = (await srv.storage.findUserByUsername('agent'))!.id
      await srv.storage.putBlobChunk(hash, agentId, 0, data.length, data) // every byte held, not yet verified
      expect(await srv.storage.uploadInfo(hash, agentId)).toMatchObject({ complete: false, received: data.length })
      await httpTransport({ baseUrl: srv.url, token: () => token }).uploadBlob(hash, new Uint8Array(data))
      expect(await srv.storage.blobInfo(hash)).toMatchObject({ complete: true })
    })

    it('discards an upload whose bytes do not match its name', async () => {
      const data = randomBytes(5000)
      const forged = sha256(randomBytes(10))
      const res = await put(forged, data, 0, data.length)
      expect(res.status).toBe(422)
      expect(await srv.storage.blobInfo(forged)).toBeUndefined()
    })

    it('refuses oversized photos and malformed names with a reason', async () => {
      const res = await put(sha256(randomBytes(4)), randomBytes(10), 0, 11 * 1024 * 1024)
      expect(res.status).toBe(413)
      expect((await put('not-a-hash', randomBytes(10), 0, 10)).status).toBe(400)
      expect((await srv.api(`/api/blobs/${sha256(randomBytes(3))}`, { method: 'PUT', token, body: 'x' })).status).toBe(400)
    })

    it('syncs a case with photos: the receipt lists missing photos, the device uploads them, the township sees them', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '残疾人两项补贴'), 31, false)
      const photo = new Uint8Array(randomBytes(120_000))
      const hash = await agent.store.addPhoto(caseId, 'id_card', photo)
      await agent.store.queueCommand(caseId, { type: 'submit' })
      const r = await agent.engine.sync()
      expect(r.blobsUploaded).toBe(1)
      expect((await agent.db.blobs.get(hash))?.uploaded).toBe(1)

      const township = await srv.login('township')
      const listed = await (await srv.api(`/api/cases/${caseId}/blobs`, { token: township })).json()
      expect(listed).toMatchObject({ blobs: [{ hash, present: true }], missing: 0 })
      const got = await srv.api(`/api/blobs/${hash}`, { token: township })
      expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(sha256(photo))
      // Another township may not read it.
      expect((await srv.api(`/api/blobs/${hash}`, { token: await srv.login('township2') })).status).toBe(404)
    })

    it('tells the township which photos of a case are still missing', async () => {
      const agent = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(agent, itemNamed(agent, '残疾人两项补贴'), 32, false)
      const hash = await agent.store.addPhoto(caseId, 'id_card', new Uint8Array(randomBytes(1000)))
      await agent.store.queueCommand(caseId, { type: 'submit' })
      await agent.db.blobs.update(hash, { uploaded: 1 }) // pretend the photo was lost before upload
      await agent.engine.sync()
      const listed = await (await srv.api(`/api/cases/${caseId}/blobs`, { token: await srv.login('township') })).json()
      expect(listed).toMatchObject({ blobs: [{ hash, present: false }], missing: 1 })
    })
  })
}
