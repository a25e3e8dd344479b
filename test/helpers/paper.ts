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
    clockNote: '',
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

/** A simulated device (fake IndexedDB) enrolled with a real P-256 key, and a printer for its cases. */
export async function signingDevice(baseUrl: string, username: string) {
  const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb')
  const { login, openDevice } = await import('../../src/sync/device')
  const { printCasePaper } = await import('../../src/sync/paper-service')
  const key = await paperKeyPair()
  const l = await login(baseUrl, username, 'demo')
  const device = await openDevice({
    baseUrl,
    login: l,
    dbName: `daiban-paper-${username}-${process.pid}-${Math.random().toString(36).slice(2)}`,
    dexie: { indexedDB: new IDBFactory(), IDBKeyRange },
    publicKey: key.publicJwk,
  })
  return {
    ...device,
    key,
    token: l.token,
    print: (caseId: import('../../src/core').CaseId, kind: import('../../src/core').PaperKind, now?: Date) =>
      printCasePaper({ db: device.db, store: device.store, displayName: l.user.displayName, sign: key.sign, ...(now ? { now: () => now } : {}) }, caseId, kind),
  }
}

/** The verdict the verification page shows for a payload (read from its data-verdict attribute). */
export async function verdictOf(baseUrl: string, payload: string, lang = ''): Promise<{ verdict: string; html: string; clockFlag: boolean }> {
  const res = await fetch(`${baseUrl}/v/${payload}${lang ? `?lang=${lang}` : ''}`)
  const html = await res.text()
  return { verdict: /data-verdict="([a-z_]+)"/.exec(html)?.[1] ?? `status ${res.status}`, html, clockFlag: html.includes('data-testid="clock-flag"') }
}
