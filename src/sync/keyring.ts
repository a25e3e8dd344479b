// An account's key on the device. A random 32-byte secret (from which sealed.ts derives the data
// and index keys) is never stored in the clear: it is wrapped (AES-GCM) twice,
//   - by a key derived from the password with PBKDF2-SHA-256 (600,000 iterations): offline the
//     password alone opens the data, and a wrong password fails the AES-GCM tag;
//   - by the device escrow key the server hands out only to an online sign-in of this account on
//     this enrolled, not-revoked device: after an administrator resets the password, the next
//     online sign-in opens the data and wraps it again under the new password.
// PBKDF2 rather than Argon2id: WebCrypto has it natively in every browser and in Node (no
// WebAssembly build to vet, ship and keep patched), it runs in native code off the JS heap, and at
// 600,000 iterations it meets OWASP's current advice for PBKDF2-SHA-256.

import { b64, Sealer, unb64 } from '../store/sealed'

export const KEY_ITERATIONS = 600_000

export interface WrappedKeys {
  v: 1
  salt: string
  iterations: number
  /** base64 of IV (12 bytes) + AES-GCM ciphertext of the secret, under the password key. */
  byPassword: string
  /** The same under the device escrow key; null until the server handed one out. */
  byEscrow: string | null
}

async function passwordKey(password: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

async function escrowKey(escrow: string): Promise<CryptoKey> {
  const raw = unb64(escrow)
  if (raw.length !== 32) throw new Error('an escrow key is 32 bytes')
  return crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

async function wrap(key: CryptoKey, secret: Uint8Array): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, secret as BufferSource))
  const out = new Uint8Array(12 + ct.length)
  out.set(iv)
  out.set(ct, 12)
  return b64(out)
}

async function unwrap(key: CryptoKey, wrapped: string): Promise<Uint8Array | null> {
  const b = unb64(wrapped)
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: b.subarray(0, 12) as BufferSource }, key, b.subarray(12) as BufferSource))
  } catch {
    return null
  }
}

/** A new secret wrapped by the password (and the escrow key, when there is one). */
export async function newKeys(password: string, escrow: string | null, iterations = KEY_ITERATIONS): Promise<{ keys: WrappedKeys; secret: Uint8Array }> {
  const secret = crypto.getRandomValues(new Uint8Array(32))
  return { keys: await wrapKeys(secret, password, escrow, iterations), secret }
}

export async function wrapKeys(secret: Uint8Array, password: string, escrow: string | null, iterations = KEY_ITERATIONS): Promise<WrappedKeys> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  return {
    v: 1,
    salt: b64(salt),
    iterations,
    byPassword: await wrap(await passwordKey(password, salt, iterations), secret),
    byEscrow: escrow ? await wrap(await escrowKey(escrow), secret) : null,
  }
}

/** The same secret under a new password (a change or a reset); the escrow wrap stays valid. */
export async function rewrapPassword(keys: WrappedKeys, secret: Uint8Array, password: string, iterations = KEY_ITERATIONS): Promise<WrappedKeys> {
  return { ...(await wrapKeys(secret, password, null, iterations)), byEscrow: keys.byEscrow }
}

/** Adds the escrow wrap to keys made without one (offline, or before the server had escrow). */
export async function addEscrow(keys: WrappedKeys, secret: Uint8Array, escrow: string): Promise<WrappedKeys> {
  return { ...keys, byEscrow: await wrap(await escrowKey(escrow), secret) }
}

/** The secret, or null when the password is wrong. */
export async function openWithPassword(keys: WrappedKeys, password: string): Promise<Uint8Array | null> {
  return unwrap(await passwordKey(password, unb64(keys.salt), keys.iterations), keys.byPassword)
}

/** The secret, or null when there is no escrow wrap or the escrow key is not this device's. */
export async function openWithEscrow(keys: WrappedKeys, escrow: string): Promise<Uint8Array | null> {
  return keys.byEscrow ? unwrap(await escrowKey(escrow), keys.byEscrow) : null
}

/** The sealer of a secret; the secret is zeroed. */
export async function sealerOf(secret: Uint8Array): Promise<Sealer> {
  try {
    return await Sealer.fromSecret(secret)
  } finally {
    secret.fill(0)
  }
}
