// Paper test data: a receipt's content and a device key that signs like the PWA's (WebCrypto).
import { webcrypto } from 'node:crypto'
import type { PaperContent } from '../../src/core'

export function samplePaperContent(over: Partial<PaperContent> = {}): PaperContent {
  return {
    kind: 'receipt',
    caseNumber: '340826106001-260212-003-0007-5',
    itemName: '最低生活保障',
    station: '破凉社区',
    township: '华亭镇',
    office: '',
    residentName: '李桂兰',
    residentIdMasked: '340826********0019',
    residentPhoneMasked: '139****5678',
    agent: '王代办',
    eventAt: '2026-02-12T02:00:00.000Z',
    limitDays: 30,
    expectedOn: '2026-03-27',
    expectedEstimated: false,
    materials: [
      { name: '申请书', form: 'original', copies: 1, status: 'received' },
      { name: '身份证', form: 'copy', copies: 1, status: 'e_certificate' },
    ],
    delivery: 'agent',
    corrections: [],
    correctionDue: '',
    decision: '',
    reason: '',
    appeal: '',
    reprint: false,
    ...over,
  }
}

export async function paperKeyPair(): Promise<{ publicJwk: string; sign(data: Uint8Array): Promise<Uint8Array> }> {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  const jwk = await webcrypto.subtle.exportKey('jwk', pair.publicKey)
  return {
    publicJwk: JSON.stringify(jwk),
    sign: async (data) => new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data as BufferSource)),
  }
}
