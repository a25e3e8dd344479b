// Issues a paper on the device: the next value of the device's paper sequence (persisted in
// IndexedDB, only goes up), the digest of the printed content, the ECDSA P-256 signature of the
// device key, and the paper record, written into the case as a note so that it reaches the
// server with the next sync. Works offline; printing never waits for the network.

import {
  encodePaperPayload,
  paperDigest,
  paperNoteId,
  signedMessage,
  toHex,
  type CaseId,
  type PaperContent,
  type PaperKind,
  type PaperRecord,
} from '../core'
import type { CaseStore } from '../store/case-store'
import type { DaibanDB } from '../store/db'

const SEQ_KEY = 'paper.seq'

export const PAPER_TITLES: Record<PaperKind, string> = {
  receipt: '代办受理回执',
  correction: '补正告知书',
  acceptance: '受理通知书',
  completion: '办结通知',
  refusal: '不予受理通知书',
}

/** The next paper sequence number of this device; committed before it is used. */
export async function nextPaperSeq(db: DaibanDB): Promise<number> {
  return db.transaction('rw', db.kv, async () => {
    const seq = (((await db.kv.get(SEQ_KEY))?.value as number | undefined) ?? 0) + 1
    await db.kv.put({ key: SEQ_KEY, value: seq })
    return seq
  })
}

export interface IssuedPaper {
  payload: string
  record: PaperRecord
}

export async function issuePaper(
  db: DaibanDB,
  store: CaseStore,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
  caseId: CaseId,
  content: PaperContent,
  now: Date = new Date(),
): Promise<IssuedPaper> {
  const { scope, deviceNumber } = store.identity
  if (!deviceNumber) throw new Error('this device is not enrolled yet: sign in once online before printing')
  const seq = await nextPaperSeq(db)
  const digest = paperDigest(content)
  const issuedAt = Math.floor(now.getTime() / 1000)
  const stamp = { issuer: scope, device: deviceNumber, seq, issuedAt, digest }
  const signature = await sign(signedMessage(stamp))
  const payload = encodePaperPayload({ ...stamp, signature })
  const record: PaperRecord = {
    issuer: scope,
    device: deviceNumber,
    seq,
    digest: toHex(digest),
    issuedAt: new Date(issuedAt * 1000).toISOString(),
    kind: content.kind,
    reprint: content.reprint,
  }
  const text = `${content.reprint ? '补打' : '打印'}${PAPER_TITLES[content.kind]}（${content.caseNumber}，单据序号 ${seq}）`
  await store.addRecordNote(caseId, paperNoteId(record), text, { paper: record })
  return { payload, record }
}
