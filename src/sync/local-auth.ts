// Offline login: the password is checked on the device against a salted PBKDF2 hash (WebCrypto),
// stored after a successful online login. The password itself is never stored.

export interface PasswordVerifier {
  salt: string
  iterations: number
  hash: string
}

export const PBKDF2_ITERATIONS = 210_000

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b))
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits'])
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256))
}

export async function makeVerifier(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordVerifier> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  return { salt: b64(salt), iterations, hash: b64(await derive(password, salt, iterations)) }
}

export async function checkVerifier(password: string, v: PasswordVerifier): Promise<boolean> {
  const got = await derive(password, unb64(v.salt), v.iterations)
  const want = unb64(v.hash)
  if (got.length !== want.length) return false
  let diff = 0
  for (let i = 0; i < got.length; i++) diff |= got[i]! ^ want[i]!
  return diff === 0
}
