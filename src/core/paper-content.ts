// What a paper says, as data, and its digest. A paper's digest is a SHA-256 over its printed
// fields in one fixed order (PAPER_FIELDS), every text NFC-normalised and UTF-8 encoded; the QR
// code carries the first 16 bytes. The same function runs on the printing device and in tests,
// so a paper whose printed data differs from what the device recorded has a different digest.

import { digest as sha256 } from 'lib0/hash/sha256'

export const PaperKinds = ['receipt', 'correction', 'acceptance', 'completion', 'refusal'] as const
/** receipt 代办受理回执 · correction 补正告知书 · acceptance 受理通知书 · completion 办结通知 · refusal 不予受理通知书 */
export type PaperKind = (typeof PaperKinds)[number]

export interface PaperMaterial {
  name: string
  /** original | copy | original_and_copy */
  form: string
  copies: number
  /** received | to_follow | e_certificate */
  status: string
}

export interface PaperCorrection {
  label: string
  reason: string
}

/** Every field a paper prints. Personal numbers are already masked: the full ones never reach paper. */
export interface PaperContent {
  kind: PaperKind
  caseNumber: string
  itemName: string
  station: string
  township: string
  /** The issuing office of a notice (the township or county body); '' on a receipt. */
  office: string
  residentName: string
  residentIdMasked: string
  residentPhoneMasked: string
  agent: string
  /** ISO instant of what the paper records (take-in, decision). */
  eventAt: string
  limitDays: number
  /** Expected completion / correction due day 'YYYY-MM-DD', or ''. */
  expectedOn: string
  expectedEstimated: boolean
  materials: PaperMaterial[]
  delivery: string
  corrections: PaperCorrection[]
  correctionDue: string
  /** approved | denied | '' */
  decision: string
  reason: string
  appeal: string
  reprint: boolean
  /** How a correction affects the time limit (correction notices), '' otherwise. */
  clockNote: string
}

/** The digest's field order. Never reorder: append new fields at the end with a new format version. */
export const PAPER_FIELDS = [
  'kind', 'caseNumber', 'itemName', 'station', 'township', 'office', 'residentName', 'residentIdMasked', 'residentPhoneMasked',
  'agent', 'eventAt', 'limitDays', 'expectedOn', 'expectedEstimated', 'materials', 'delivery', 'corrections', 'correctionDue',
  'decision', 'reason', 'appeal', 'reprint', 'clockNote',
] as const satisfies readonly (keyof PaperContent)[]

const nfc = (v: unknown): unknown =>
  typeof v === 'string' ? v.normalize('NFC') : Array.isArray(v) ? v.map(nfc) : v !== null && typeof v === 'object' ? sortedObject(v as Record<string, unknown>) : v

function sortedObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o).sort()) out[k] = nfc(o[k])
  return out
}

/**
 * The canonical bytes: UTF-8 of the JSON array of [field, value] pairs in PAPER_FIELDS order;
 * strings NFC, list entries as objects with their keys sorted.
 */
export function canonicalPaperBytes(c: PaperContent): Uint8Array {
  const pairs = PAPER_FIELDS.map((f) => [f, nfc(c[f])])
  return new TextEncoder().encode(JSON.stringify(pairs))
}

export const PAPER_DIGEST_BYTES = 16

export function paperDigest(c: PaperContent): Uint8Array {
  return sha256(canonicalPaperBytes(c)).slice(0, PAPER_DIGEST_BYTES)
}

export function toHex(b: Uint8Array): string {
  let s = ''
  for (const x of b) s += x.toString(16).padStart(2, '0')
  return s
}

export function fromHex(s: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) return null
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16)
  return out
}
