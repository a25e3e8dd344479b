// The encrypting layer under the device store. A Sealer holds an account's data key (AES-GCM 256)
// and its index key (HMAC-SHA-256), both derived with HKDF from the account's 32-byte secret and
// not extractable. It lives only in the worker, only while the account is unlocked.
//
// Sealed bytes: 1 format byte, a 12-byte random IV, then the AES-GCM ciphertext with its tag.
// Rows keep their sealed payload in a field of its own (`x`), so a row written before encryption
// (with its plaintext fields) is never mistaken for a sealed one.

const FORMAT = 1
const IV = 12

export class SealError extends Error {
  readonly code = 'sealed_unreadable'
}

export class Sealer {
  private constructor(
    private readonly aes: CryptoKey,
    private readonly mac: CryptoKey,
  ) {}

  /** Derives the keys from the account secret; the caller zeroes the secret afterwards. */
  static async fromSecret(secret: Uint8Array): Promise<Sealer> {
    const base = await crypto.subtle.importKey('raw', secret as BufferSource, 'HKDF', false, ['deriveKey'])
    const info = (s: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(s) })
    const aes = await crypto.subtle.deriveKey(info('daiban data v1'), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    const mac = await crypto.subtle.deriveKey(info('daiban index v1'), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign'])
    return new Sealer(aes, mac)
  }

  async seal(data: Uint8Array): Promise<Uint8Array> {
    const iv = crypto.getRandomValues(new Uint8Array(IV))
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.aes, data as BufferSource))
    const out = new Uint8Array(1 + IV + ct.length)
    out[0] = FORMAT
    out.set(iv, 1)
    out.set(ct, 1 + IV)
    return out
  }

  async open(sealed: Uint8Array): Promise<Uint8Array> {
    if (!(sealed instanceof Uint8Array) || sealed.length < 1 + IV + 16 || sealed[0] !== FORMAT) throw new SealError('not sealed data')
    try {
      return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(1, 1 + IV) as BufferSource }, this.aes, sealed.subarray(1 + IV) as BufferSource))
    } catch {
      throw new SealError('sealed data does not open with this key')
    }
  }

  sealJson(value: unknown): Promise<Uint8Array> {
    return this.seal(new TextEncoder().encode(JSON.stringify(value)))
  }

  async openJson<T>(sealed: Uint8Array): Promise<T> {
    return JSON.parse(new TextDecoder().decode(await this.open(sealed))) as T
  }

  /** A keyed look-up tag for an exact value (ID number, phone): equal values give equal tags. */
  async tag(kind: string, value: string): Promise<string> {
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', this.mac, new TextEncoder().encode(`${kind}\u0000${value}`)))
    return b64url(sig.subarray(0, 16))
  }
}

export function b64(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000))
  return btoa(s)
}

export function unb64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
}

export function b64url(b: Uint8Array): string {
  return b64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
