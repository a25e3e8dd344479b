import { describe, expect, it } from 'vitest'
import { KEY_ITERATIONS, newKeys, openWithEscrow, openWithPassword, rewrapPassword, sealerOf } from '../../src/sync/keyring'

const escrow = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')

describe('keyring', () => {
  it('uses at least 600,000 PBKDF2 iterations by default', () => {
    expect(KEY_ITERATIONS).toBeGreaterThanOrEqual(600_000)
  })

  it('opens the secret with the password or the escrow key, and with nothing else', async () => {
    const e = escrow()
    const { keys, secret } = await newKeys('correct horse', e, 1000)
    const copy = secret.slice()
    expect(await openWithPassword(keys, 'correct horse')).toEqual(copy)
    expect(await openWithPassword(keys, 'correct hors')).toBeNull()
    expect(await openWithEscrow(keys, e)).toEqual(copy)
    expect(await openWithEscrow(keys, escrow())).toBeNull()
    // Nothing of the secret is in the stored form.
    expect(JSON.stringify(keys)).not.toContain(Buffer.from(copy).toString('base64'))
  })

  it('wraps the same secret under a new password and keeps the escrow wrap', async () => {
    const e = escrow()
    const { keys, secret } = await newKeys('old password', e, 1000)
    const next = await rewrapPassword(keys, secret.slice(), 'new password', 1000)
    expect(await openWithPassword(next, 'old password')).toBeNull()
    expect(await openWithPassword(next, 'new password')).toEqual(secret)
    expect(await openWithEscrow(next, e)).toEqual(secret)
  })

  it('derives a sealer that seals and opens, and zeroes the secret it was given', async () => {
    const { secret } = await newKeys('pw', null, 1000)
    const again = secret.slice()
    const sealer = await sealerOf(secret)
    expect([...secret].every((b) => b === 0)).toBe(true)
    const sealed = await sealer.seal(new TextEncoder().encode('王卫东'))
    expect(new TextDecoder().decode(await (await sealerOf(again)).open(sealed))).toBe('王卫东')
    expect(await sealer.tag('id', '340826195603120019')).toBe(await sealer.tag('id', '340826195603120019'))
    expect(await sealer.tag('id', '340826195603120019')).not.toBe(await sealer.tag('phone', '340826195603120019'))
  })
})
