// The device's signing key: ECDSA P-256, made on the device at enrolment. The private key is
// not extractable; it lives in IndexedDB as a CryptoKey. The public key is registered with the
// server so anyone can verify a receipt the device printed.

import { setValue, type DaibanDB } from '../store/db'

const KEYS = 'device.keys'

export async function deviceKeys(db: DaibanDB): Promise<{ pair: CryptoKeyPair; publicJwk: JsonWebKey }> {
  const stored = (await db.kv.get(KEYS))?.value as { pair: CryptoKeyPair; publicJwk: JsonWebKey } | undefined
  if (stored) return stored
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey)
  const value = { pair, publicJwk }
  await setValue(db, KEYS, value)
  return value
}

export async function sign(db: DaibanDB, data: Uint8Array): Promise<Uint8Array> {
  const { pair } = await deviceKeys(db)
  return new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data as BufferSource))
}
