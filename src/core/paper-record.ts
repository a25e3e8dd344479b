// The record of one printed paper that travels to the server with the next sync: a note of the
// case whose id is `paper-<issuer>-<device>-<seq>` and which carries a `paper` field. Being a
// note, it is append-only, shows in the case history (printed / reprinted, by whom, when), and
// needs no new sync message. The server checks it (paperRecordProblem) and indexes it.

import type { CaseNote } from './case-doc'
import { PaperKinds, type PaperKind } from './paper-content'
import { MAX_PAPER_DEVICE, MAX_PAPER_SEQ } from './paper-payload'

export interface PaperRecord {
  issuer: string
  device: number
  seq: number
  /** 32 lowercase hex characters: the 16-byte digest. */
  digest: string
  /** ISO instant, the device's clock. */
  issuedAt: string
  kind: PaperKind
  reprint: boolean
}

export interface PaperNote extends CaseNote {
  paper: PaperRecord
}

export const PAPER_NOTE_PREFIX = 'paper-'

export function paperNoteId(r: Pick<PaperRecord, 'issuer' | 'device' | 'seq'>): string {
  return `${PAPER_NOTE_PREFIX}${r.issuer}-${r.device}-${r.seq}`
}

export function isPaperNoteId(id: string): boolean {
  return id.startsWith(PAPER_NOTE_PREFIX)
}

const ISSUER = /^(?:\d{6}|\d{9}|\d{12})$/
const DIGEST = /^[0-9a-f]{32}$/

/** Why a note with a paper id is not a valid paper record, or null. */
export function paperRecordProblem(key: string, value: unknown): string | null {
  const n = value as Partial<PaperNote> | null
  const p = n?.paper as Partial<PaperRecord> | undefined
  if (!p || typeof p !== 'object') return 'a paper note needs a paper record'
  const keys = Object.keys(p)
  if (keys.length !== 7) return 'a paper record has exactly issuer, device, seq, digest, issuedAt, kind and reprint'
  if (typeof p.issuer !== 'string' || !ISSUER.test(p.issuer)) return 'paper.issuer must be a division code'
  if (!Number.isInteger(p.device) || p.device! < 1 || p.device! > MAX_PAPER_DEVICE) return 'paper.device out of range'
  if (!Number.isInteger(p.seq) || p.seq! < 1 || p.seq! > MAX_PAPER_SEQ) return 'paper.seq out of range'
  if (typeof p.digest !== 'string' || !DIGEST.test(p.digest)) return 'paper.digest must be 32 hex characters'
  if (typeof p.issuedAt !== 'string' || p.issuedAt.length > 40 || Number.isNaN(Date.parse(p.issuedAt))) return 'paper.issuedAt must be an ISO instant'
  if (!(PaperKinds as readonly unknown[]).includes(p.kind)) return 'paper.kind is not a paper kind'
  if (typeof p.reprint !== 'boolean') return 'paper.reprint must be true or false'
  if (key !== paperNoteId(p as PaperRecord)) return 'a paper note id is paper-<issuer>-<device>-<seq>'
  return null
}

/** The paper records among a case's notes, oldest first. */
export function paperNotes(notes: readonly CaseNote[]): PaperNote[] {
  return notes.filter((n): n is PaperNote => isPaperNoteId(n.id) && paperRecordProblem(n.id, n) === null)
}
