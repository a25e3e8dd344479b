import { describe, expect, it } from 'vitest'
import { isSealedFile, openFile, sealFile } from '../../src/store/transfer-seal'

describe('transfer-seal', () => {
  it('encrypts the export so that only its passphrase opens it', async () => {
    const json = JSON.stringify({ format: 'daiban-unsynced', name: '王卫东', id: '340826195603120019' })
    const file = await sealFile(json, '村口老槐树2026', 100_000)
    expect(isSealedFile(file)).toBe(true)
    expect(isSealedFile(json)).toBe(false)
    for (const s of ['王卫东', '340826195603120019', 'daiban-unsynced"']) expect(file).not.toContain(s)
    expect(await openFile(file, '村口老槐树2026')).toBe(json)
    await expect(openFile(file, '村口老槐树2025')).rejects.toMatchObject({ code: 'wrong_passphrase' })
  })

  it('refuses a short passphrase, a tampered file and weakened parameters', async () => {
    await expect(sealFile('{}', '1234567')).rejects.toMatchObject({ code: 'passphrase_too_short' })
    const file = JSON.parse(await sealFile('{"a":1}', 'long enough', 100_000)) as { data: string; kdf: { iterations: number } }
    const flipped = { ...file, data: (file.data[0] === 'A' ? 'B' : 'A') + file.data.slice(1) }
    await expect(openFile(JSON.stringify(flipped), 'long enough')).rejects.toMatchObject({ code: 'wrong_passphrase' })
    await expect(openFile(JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: 1 } }), 'long enough')).rejects.toMatchObject({ code: 'not_sealed' })
  })
})
