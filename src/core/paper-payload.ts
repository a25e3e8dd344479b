// The signed payload a paper's QR code carries, in the path of the verification URL:
//
//   byte  0       format version (1)
//   1–5   issuer  the device's enrolment scope: its division code right-padded with zeros to 12
//                 digits, as a 40-bit big-endian number (a village 340826106001, a township
//                 340826106 → 340826106000, a county 340826 → 340826000000)
//   6–7   device  the device number within that scope, uint16 (device numbers count per scope,
//                 so scope + number is the key id)
//   8–11  seq     the device's paper sequence, uint32, only goes up
//   12–15 time    issue time, seconds since 1970-01-01T00:00Z, uint32
//   16–31 digest  first 16 bytes of the SHA-256 of the printed content (paper-content.ts)
//   32–95 sig     ECDSA P-256 / SHA-256 signature, raw r‖s (IEEE P1363, what WebCrypto gives),
//                 over the context tag "daiban-paper-v1" + 0x00 followed by bytes 0–31
//
// 96 bytes, 128 base64url characters. No personal data: anyone can scan it. A paper is
// identified by issuer, device and sequence, never by its signature bytes.

import { DaibanError, ErrorCode } from './errors'
import { PAPER_DIGEST_BYTES } from './paper-content'

export const PAPER_FORMAT_VERSION = 1
export const PAPER_SIGNATURE_BYTES = 64
export const PAPER_SIGNED_BYTES = 32
export const PAPER_PAYLOAD_BYTES = PAPER_SIGNED_BYTES + PAPER_SIGNATURE_BYTES
export const PAPER_PAYLOAD_CHARS = 128
export const PAPER_CONTEXT_TAG = 'daiban-paper-v1'
export const MAX_PAPER_SEQ = 0xffffffff
export const MAX_PAPER_DEVICE = 0xffff

export interface PaperStamp {
  /** Division code of the device's enrolment scope (6, 9 or 12 digits). */
  issuer: string
  device: number
  seq: number
  /** Seconds since the epoch. */
  issuedAt: number
  digest: Uint8Array
}

export interface PaperPayload extends PaperStamp {
  signature: Uint8Array
}

const SCOPE = /^(?:\d{6}|\d{9}|\d{12})$/

function issuerNumber(code: string): number {
  if (!SCOPE.test(code) || code.endsWith('000')) throw new DaibanError(ErrorCode.validation, `not a division code: ${code}`)
  return Number(code.padEnd(12, '0'))
}

function issuerCode(n: number): string {
  let s = String(n).padStart(12, '0')
  while (s.length > 6 && s.endsWith('000')) s = s.slice(0, -3)
  return s
}

function checkStamp(s: PaperStamp): void {
  const int = (v: number, max: number, min = 0) => Number.isInteger(v) && v >= min && v <= max
  if (!int(s.device, MAX_PAPER_DEVICE, 1)) throw new DaibanError(ErrorCode.validation, 'device number out of range')
  if (!int(s.seq, MAX_PAPER_SEQ, 1)) throw new DaibanError(ErrorCode.validation, 'paper sequence out of range')
  if (!int(s.issuedAt, 0xffffffff)) throw new DaibanError(ErrorCode.validation, 'issue time out of range')
  if (s.digest.length !== PAPER_DIGEST_BYTES) throw new DaibanError(ErrorCode.validation, `digest must be ${PAPER_DIGEST_BYTES} bytes`)
}

/** Bytes 0–31 of the payload: everything the signature covers except the context tag. */
export function stampBytes(s: PaperStamp): Uint8Array {
  checkStamp(s)
  const out = new Uint8Array(PAPER_SIGNED_BYTES)
  const view = new DataView(out.buffer)
  out[0] = PAPER_FORMAT_VERSION
  const issuer = issuerNumber(s.issuer)
  view.setUint8(1, Math.floor(issuer / 2 ** 32))
  view.setUint32(2, issuer % 2 ** 32)
  view.setUint16(6, s.device)
  view.setUint32(8, s.seq)
  view.setUint32(12, s.issuedAt)
  out.set(s.digest, 16)
  return out
}

/** What the device signs: the context tag, a zero byte, then the stamp bytes. */
export function signedMessage(s: PaperStamp): Uint8Array {
  const tag = new TextEncoder().encode(PAPER_CONTEXT_TAG)
  const stamp = stampBytes(s)
  const out = new Uint8Array(tag.length + 1 + stamp.length)
  out.set(tag, 0)
  out.set(stamp, tag.length + 1)
  return out
}

export function encodePaperPayload(p: PaperPayload): string {
  if (p.signature.length !== PAPER_SIGNATURE_BYTES) throw new DaibanError(ErrorCode.validation, `signature must be ${PAPER_SIGNATURE_BYTES} bytes`)
  const out = new Uint8Array(PAPER_PAYLOAD_BYTES)
  out.set(stampBytes(p), 0)
  out.set(p.signature, PAPER_SIGNED_BYTES)
  return toBase64Url(out)
}

/** Parses a payload; null when it is not one (wrong length, alphabet, version or fields). */
export function decodePaperPayload(text: string): PaperPayload | null {
  if (text.length !== PAPER_PAYLOAD_CHARS) return null
  const bytes = fromBase64Url(text)
  if (!bytes || bytes.length !== PAPER_PAYLOAD_BYTES || bytes[0] !== PAPER_FORMAT_VERSION) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const issuer = issuerCode(view.getUint8(1) * 2 ** 32 + view.getUint32(2))
  const p: PaperPayload = {
    issuer,
    device: view.getUint16(6),
    seq: view.getUint32(8),
    issuedAt: view.getUint32(12),
    digest: bytes.slice(16, 32),
    signature: bytes.slice(32, 96),
  }
  try {
    if (issuerNumber(issuer) !== view.getUint8(1) * 2 ** 32 + view.getUint32(2)) return null
    checkStamp(p)
  } catch {
    return null
  }
  return p
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

export function toBase64Url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6))
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63]
  }
  return out
}

export function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((s.length * 6) / 8))
  let bits = 0
  let acc = 0
  let j = 0
  for (const ch of s) {
    acc = (acc << 6) | ALPHABET.indexOf(ch)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[j++] = (acc >> bits) & 0xff
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return null // non-canonical trailing bits
  return out
}

/** The verification URL printed in the QR code. */
export function paperUrl(origin: string, payload: string): string {
  return `${origin.replace(/\/+$/, '')}/v/${payload}`
}
