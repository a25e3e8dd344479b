import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlobHash, CaseId } from '../../src/core'
import { httpTransport } from '../../src/sync/transport'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const QUOTA = 1024 * 1024

for (const storage of storages) {
  describe(`blob access (${storage})`, () => {
    let srv: TestServer
    let agent: string
    let agent2: string
    beforeAll(async () => {
      srv = await startTestServer(storage, { uploadQuotaBytes: QUOTA })
      agent = await srv.login('agent')
      agent2 = await srv.login('agent2')
    })
    afterAll(async () => srv?.stop())

    const put = (hash: string, body: Uint8Array, offset: number, total: number, token: string) =>
      srv.api(`/api/blobs/${hash}`, { method: 'PUT', token, body: body as BodyInit, headers: { 'upload-offset': String(offset), 'upload-length': String(total), 'content-type': 'application/octet-stream' } })
    const head = (hash: string, token: string) => srv.api(`/api/blobs/${hash}`, { method: 'HEAD', token })

    /** 华亭镇's agent takes in a case with an ID-card photo and syncs it (the photo is uploaded). */
    async function photoOfOtherVillage(): Promise<{ hash: BlobHash; caseId: CaseId }> {
      const dev = await newDevice(srv.url, 'agent')
      const caseId = await takeInCase(dev, itemNamed(dev, '残疾人两项补贴'), 41, false)
      const hash = await dev.store.addPhoto(caseId, 'id_card', new Uint8Array(randomBytes(50_000)))
      const r = await dev.engine.sync()
      expect(r.blobsUploaded).toBe(1)
      return { hash, caseId }
    }

    it('refuses a case that names a photo of another village by its hash, and the photo stays unreadable', async () => {
      const { hash } = await photoOfOtherVillage()
      expect((await srv.api(`/api/blobs/${hash}`, { token: agent2 })).status).toBe(404)
      const thief = await newDevice(srv.url, 'agent2')
      const caseId = await takeInCase(thief, itemNamed(thief, '残疾人两项补贴'), 42, false)
      await thief.store.setMaterial(caseId, 'id_card', { status: 'received', copies: 1, photos: [hash] })
      await thief.engine.sync()
      expect(await srv.storage.casesOfBlob(hash)).not.toContain(caseId)
      expect((await srv.api(`/api/blobs/${hash}`, { token: agent2 })).status).toBe(404)
    })

    it('answers HEAD and PUT for a photo outside the caller\'s cases as for an unknown hash', async () => {
      const { hash } = await photoOfOtherVillage()
      const unknown = sha256(randomBytes(20))
      const [theirs, none] = [await head(hash, agent2), await head(unknown, agent2)]
      expect(theirs.status).toBe(none.status)
      expect(theirs.status).toBe(404)
      expect(theirs.headers.get('upload-offset')).toBe('0')
      expect(theirs.headers.get('blob-complete')).toBeNull()
      // A PUT does not reveal it either: it asks for the bytes from the start.
      const probe = await put(hash, new Uint8Array(10), 0, 50_000, agent2)
      expect(probe.status).toBe(200)
      expect(await probe.json()).toMatchObject({ complete: false, received: 10 })
      // The owner's device still sees its own photo as complete.
      expect((await head(hash, agent)).headers.get('blob-complete')).toBe('1')
    })

    it('lets the agent name its own uploaded photo in a second case', async () => {
      const dev = await newDevice(srv.url, 'agent')
      const first = await takeInCase(dev, itemNamed(dev, '残疾人两项补贴'), 43, false)
      const hash = await dev.store.addPhoto(first, 'id_card', new Uint8Array(randomBytes(30_000)))
      await dev.engine.sync()
      const second = await takeInCase(dev, itemNamed(dev, '残疾人两项补贴'), 44, false)
      await dev.store.setMaterial(second, 'id_card', { status: 'received', copies: 1, photos: [hash] })
      await dev.engine.sync()
      expect((await srv.storage.casesOfBlob(hash)).sort()).toEqual([first, second].sort())
    })

    it('keeps each uploader\'s unfinished upload apart: a false start by another account does not block the real one', async () => {
      const data = new Uint8Array(randomBytes(200_000))
      const hash = sha256(data)
      // Another account claims the hash with a false length and garbage.
      expect((await put(hash, new Uint8Array(1024), 0, 900_000, agent2)).status).toBe(200)
      await httpTransport({ baseUrl: srv.url, token: () => agent }).uploadBlob(hash, data)
      expect(sha256((await srv.storage.getBlob(hash))!)).toBe(hash)
    })

    it('lets an uploader restart its own false start instead of failing for ever', async () => {
      const data = new Uint8Array(randomBytes(100_000))
      const hash = sha256(data)
      expect((await put(hash, new Uint8Array(1024), 0, 700_000, agent)).status).toBe(200)
      await httpTransport({ baseUrl: srv.url, token: () => agent }).uploadBlob(hash, data)
      expect(await srv.storage.blobInfo(hash)).toMatchObject({ complete: true, size: data.byteLength })
    })

    it('collects stale unfinished uploads after a day and unreferenced photos after the grace period', async () => {
      const partial = new Uint8Array(randomBytes(5000))
      const partialHash = sha256(randomBytes(8))
      await put(partialHash, partial, 0, 10_000, agent2)
      const orphan = new Uint8Array(randomBytes(4000))
      expect((await put(sha256(orphan), orphan, 0, orphan.length, agent2)).status).toBe(201)
      const { hash: linked } = await photoOfOtherVillage()
      const agent2Id = (await srv.storage.findUserByUsername('agent2'))!.id
      expect(await srv.storage.uploadInfo(partialHash, agent2Id)).toBeDefined()

      expect(await srv.storage.pruneStaleUploads(Date.now() - 24 * 3600_000)).toBe(0)
      expect(await srv.storage.pruneStaleUploads(Date.now() + 1000)).toBeGreaterThanOrEqual(1)
      expect(await srv.storage.uploadInfo(partialHash, agent2Id)).toBeUndefined()

      expect(await srv.storage.pruneUnlinkedBlobs(Date.now() + 1000)).toBeGreaterThanOrEqual(1)
      expect(await srv.storage.blobInfo(sha256(orphan))).toBeUndefined()
      expect(await srv.storage.blobInfo(linked)).toMatchObject({ complete: true })
    })

    it('holds each account to an upload quota for photos no case refers to', async () => {
      const county = await srv.login('county')
      const answers: number[] = []
      for (let i = 0; i < 4; i++) {
        const data = new Uint8Array(randomBytes(300_000))
        answers.push((await put(sha256(data), data, 0, data.length, county)).status)
      }
      expect(answers.slice(0, 3)).toEqual([201, 201, 201])
      expect(answers[3]).toBe(413)
      // Other accounts are not affected.
      const mine = new Uint8Array(randomBytes(300_000))
      expect((await put(sha256(mine), mine, 0, mine.length, await srv.login('township'))).status).toBe(201)
    })
  })
}
