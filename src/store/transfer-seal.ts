// The export file of unsynced work is encrypted with a passphrase the agent types (it leaves the
// device on a USB stick or by chat): AES-GCM 256 under a PBKDF2-SHA-256 key (600,000 iterations),
// the same construction as the device's password key (sync/keyring.ts). Without the passphrase
// the file cannot be read, by anyone: there is no recovery.

import { b64, unb64 } from './sealed'

export const SEALED_FILE_FORMAT = 'daiban-unsynced-sealed'
export const MIN_PASSPHRASE = 8
export const FILE_ITERATIONS = 600_000

interface SealedFile {
  format: typeof SEALED_FILE_FORMAT
  version: 1
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string }
  iv: string
  data: string
}

export class TransferSealError extends Error {
  constructor(
    readonly code: 'passphrase_too_short' | 'wrong_passphrase' | 'not_sealed',
    message: string,
  ) {
    super(message)
  }
}

async function fileKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

export async function sealFile(json: string, passphrase: string, iterations = FILE_ITERATIONS): Promise<string> {
  if ([...passphrase].length < MIN_PASSPHRASE) throw new TransferSealError('passphrase_too_short', `the passphrase needs at least ${MIN_PASSPHRASE} characters`)
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await fileKey(passphrase, salt, iterations), new TextEncoder().encode(json)))
  const file: SealedFile = { format: SEALED_FILE_FORMAT, version: 1, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: b64(salt) }, iv: b64(iv), data: b64(data) }
  return JSON.stringify(file)
}

export function isSealedFile(text: string): boolean {
  return text.trimStart().startsWith('{') && text.includes(`"format":"${SEALED_FILE_FORMAT}"`)
}

/** The file's content; a wrong passphrase or a damaged file fails the AES-GCM tag. */
export async function openFile(text: string, passphrase: string): Promise<string> {
  let file: SealedFile
  try {
    file = JSON.parse(text) as SealedFile
  } catch {
    throw new TransferSealError('not_sealed', 'not an encrypted Daiban export file')
  }
  const k = file?.kdf
  if (file?.format !== SEALED_FILE_FORMAT || file.version !== 1 || k?.name !== 'PBKDF2' || k.hash !== 'SHA-256' || !Number.isInteger(k.iterations) || k.iterations < 100_000 || k.iterations > 10_000_000)
    throw new TransferSealError('not_sealed', 'not an encrypted Daiban export file of a known version')
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(file.iv) as BufferSource }, await fileKey(passphrase, unb64(k.salt), k.iterations), unb64(file.data) as BufferSource)
    return new TextDecoder().decode(plain)
  } catch {
    throw new TransferSealError('wrong_passphrase', 'the passphrase does not open this file')
  }
}
