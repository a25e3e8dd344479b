import { createPublicKey, verify, webcrypto } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  canonicalPaperBytes,
  decodePaperPayload,
  encodePaperPayload,
  fromBase64Url,
  paperDigest,
  paperNoteId,
  paperRecordProblem,
  paperUrl,
  PAPER_PAYLOAD_CHARS,
  signedMessage,
  toBase64Url,
  toHex,
  type PaperContent,
} from '../../src/core'
import { samplePaperContent } from '../helpers/paper'

const stamp = { issuer: '340826106001', device: 3, seq: 42, issuedAt: 1_780_000_000, digest: new Uint8Array(16).fill(7) }

describe('paper-payload', () => {
  it('round-trips every field through 128 base64url characters', () => {
    const signature = new Uint8Array(64).map((_, i) => i)
    const text = encodePaperPayload({ ...stamp, signature })
    expect(text).toHaveLength(PAPER_PAYLOAD_CHARS)
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
    const back = decodePaperPayload(text)!
    expect(back.issuer).toBe('340826106001')
    expect([back.device, back.seq, back.issuedAt]).toEqual([3, 42, 1_780_000_000])
    expect(Array.from(back.digest)).toEqual(Array.from(stamp.digest))
    expect(Array.from(back.signature)).toEqual(Array.from(signature))
    expect(paperUrl('https://daiban.example/', text)).toHaveLength('https://daiban.example/v/'.length + 128)
  })

  it('keeps township and county issuers apart from villages', () => {
    for (const issuer of ['340826106', '340826']) {
      const back = decodePaperPayload(encodePaperPayload({ ...stamp, issuer, signature: new Uint8Array(64) }))!
      expect(back.issuer).toBe(issuer)
    }
  })

  it('rejects wrong lengths, alphabets, versions and zero sequences', () => {
    const text = encodePaperPayload({ ...stamp, signature: new Uint8Array(64) })
    expect(decodePaperPayload(text.slice(1))).toBeNull()
    expect(decodePaperPayload(text.slice(0, -1) + '=')).toBeNull()
    const bytes = fromBase64Url(text)!
    bytes[0] = 2
    expect(decodePaperPayload(toBase64Url(bytes))).toBeNull()
    expect(() => encodePaperPayload({ ...stamp, seq: 0, signature: new Uint8Array(64) })).toThrow()
  })

  it('signs with WebCrypto and verifies with node:crypto in IEEE P1363 form', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    const signature = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, signedMessage(stamp)))
    expect(signature).toHaveLength(64)
    const jwk = await webcrypto.subtle.exportKey('jwk', pair.publicKey)
    const key = createPublicKey({ key: jwk as never, format: 'jwk' })
    const p = decodePaperPayload(encodePaperPayload({ ...stamp, signature }))!
    expect(verify('sha256', signedMessage(p), { key, dsaEncoding: 'ieee-p1363' }, p.signature)).toBe(true)
    expect(verify('sha256', signedMessage({ ...p, seq: 43 }), { key, dsaEncoding: 'ieee-p1363' }, p.signature)).toBe(false)
  })
})

describe('paper-content', () => {
  it('gives the same digest for NFC and NFD spellings and a different one for any changed field', () => {
    const c = samplePaperContent()
    const nfd: PaperContent = { ...c, residentName: c.residentName.normalize('NFD'), itemName: 'Café'.normalize('NFD') }
    expect(toHex(paperDigest({ ...c, itemName: 'Café'.normalize('NFC') }))).toBe(toHex(paperDigest(nfd)))
    expect(paperDigest(c)).toHaveLength(16)
    const changed: Partial<PaperContent>[] = [{ caseNumber: '340826106001-260212-003-0008-3' }, { residentIdMasked: '340826********0020' }, { reprint: true }, { materials: c.materials.slice(1) }]
    for (const ch of changed) expect(toHex(paperDigest({ ...c, ...ch }))).not.toBe(toHex(paperDigest(c)))
  })

  it('encodes the fields in the documented order as UTF-8 JSON pairs', () => {
    const text = new TextDecoder().decode(canonicalPaperBytes(samplePaperContent()))
    const pairs = JSON.parse(text) as [string, unknown][]
    expect(pairs[0]).toEqual(['kind', 'receipt'])
    expect(pairs[1]![0]).toBe('caseNumber')
    expect(pairs.at(-1)).toEqual(['clockNote', ''])
  })
})

describe('paper-record', () => {
  const record = { issuer: '340826106001', device: 3, seq: 9, digest: 'ab'.repeat(16), issuedAt: '2026-03-02T01:02:03.000Z', kind: 'receipt', reprint: false }
  it('accepts a well-formed record under its own id and refuses others', () => {
    const id = paperNoteId(record)
    expect(paperRecordProblem(id, { paper: record })).toBeNull()
    expect(paperRecordProblem('paper-340826106001-3-10', { paper: record })).toMatch(/id/)
    expect(paperRecordProblem(id, { paper: { ...record, digest: 'zz' } })).toMatch(/digest/)
    expect(paperRecordProblem(id, { paper: { ...record, extra: 1 } })).toMatch(/exactly/)
    expect(paperRecordProblem(id, { paper: { ...record, kind: 'invoice' } })).toMatch(/kind/)
  })
})
