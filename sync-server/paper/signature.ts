// Checks a paper's signature with the public key the device registered at enrolment (a JWK, as
// the PWA sends it). WebCrypto signs ECDSA as raw r‖s, so node:crypto verifies with ieee-p1363.

import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { signedMessage, type PaperPayload } from '../../src/core'

const keys = new Map<string, KeyObject | null>()

function keyOf(publicKey: string): KeyObject | null {
  if (keys.has(publicKey)) return keys.get(publicKey)!
  let key: KeyObject | null = null
  try {
    const jwk = JSON.parse(publicKey) as { kty?: string; crv?: string }
    if (jwk.kty === 'EC' && jwk.crv === 'P-256') key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
  } catch {
    key = null // not a key this server can verify with: every paper of it is not genuine
  }
  if (keys.size > 10_000) keys.clear()
  keys.set(publicKey, key)
  return key
}

export function paperSignatureValid(publicKey: string, p: PaperPayload): boolean {
  const key = keyOf(publicKey)
  if (!key) return false
  try {
    return verify('sha256', signedMessage(p), { key, dsaEncoding: 'ieee-p1363' }, p.signature)
  } catch {
    return false
  }
}
