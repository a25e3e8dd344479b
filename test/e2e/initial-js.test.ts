// The village agent's first download carries the app shell and the agent's screens only. This reads
// the build the test run made (scripts/test.ts builds before the tests; alone: `npx vite build`
// first) and checks that none of the JavaScript index.html loads up front (entry and
// modulepreloads) carries code or text that only staff, administrators, printing, English or
// other rare paths need. The size itself is reported by `npm run bench:pwa`.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from '../../src/app/i18n/en'
import { zhCN } from '../../src/app/i18n/zh-CN'
import { adminEn } from '../../src/app/i18n/areas/admin.en'
import { adminZhCN } from '../../src/app/i18n/areas/admin.zh-CN'
import { paperEn } from '../../src/app/i18n/areas/paper.en'
import { paperZhCN } from '../../src/app/i18n/areas/paper.zh-CN'
import { queueScreensEn } from '../../src/app/i18n/areas/queue.screens.en'
import { queueScreensZhCN } from '../../src/app/i18n/areas/queue.screens.zh-CN'

const DIST = 'dist'

function initialChunks(): { file: string; code: string }[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
  return files.map((file) => ({ file, code: readFileSync(join(DIST, file), 'utf8') }))
}

function allChunks(): string {
  return readdirSync(join(DIST, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(DIST, 'assets', f), 'utf8'))
    .join('\n')
}

/** A string literal as the minifier may quote it. */
const literal = (s: string) => [`"${s}"`, `'${s}'`, `\`${s}\``]

/** Each marker and the initial chunks that contain it; a marker absent from the whole build is an
 *  error too (it would prove nothing). */
function found(markers: string[], asLiteral = true): Record<string, string[]> {
  const chunks = initialChunks()
  const everything = allChunks()
  const hits: Record<string, string[]> = {}
  for (const m of markers) {
    const forms = asLiteral ? literal(m) : [m]
    if (!forms.some((f) => everything.includes(f))) hits[m] = ['(in no chunk of the build)']
    const inFiles = chunks.filter((c) => forms.some((f) => c.code.includes(f))).map((c) => c.file)
    if (inFiles.length) hits[m] = inFiles
  }
  return hits
}

/** Messages of the given catalogues that the main ones do not also hold, long enough to be
 *  distinctive and plain enough (no quotes or backslashes) to appear verbatim in the code. */
function distinctive(catalogues: Record<string, string>[], minLength: number): string[] {
  const main = new Set<string>([...Object.values(zhCN), ...Object.values(en)])
  const texts = catalogues.flatMap((c) => Object.values(c)).filter((s) => s.length >= minLength && !main.has(s) && !/["'`\\\n]/.test(s))
  return [...new Set(texts)]
}

describe('initial JavaScript', () => {
  it('is built (run `npx vite build` first when running this file alone)', () => {
    expect(existsSync(join(DIST, 'index.html'))).toBe(true)
    const chunks = initialChunks()
    expect(chunks.length).toBeGreaterThan(0)
    // The agent's own screens are there, found the way the markers below are looked for.
    expect(chunks.some((c) => literal('sync-status').some((f) => c.code.includes(f)))).toBe(true)
  })

  it('carries neither the QR encoder nor the print views', () => {
    expect(found(['The amount of data is too big to be stored in a QR Code'], false)).toEqual({})
    expect(found(['paper-case-number', 'print-root'])).toEqual({})
  })

  it('carries none of the staff queue, review, task and administration screens', () => {
    expect(found(['queue-row', 'case-review', 'decision-confirm', 'task-row', 'account-create', 'photo-viewer'])).toEqual({})
  })

  it('carries none of the queue, paper and administration messages, in either language', () => {
    const chinese = distinctive([queueScreensZhCN, paperZhCN, adminZhCN], 6)
    const english = distinctive([queueScreensEn, paperEn, adminEn], 16)
    expect(chinese.length).toBeGreaterThan(100)
    expect(english.length).toBeGreaterThan(100)
    expect(found([...chinese, ...english], false)).toEqual({})
  })

  it('carries the Chinese catalogue only: English loads when chosen', () => {
    const chinese = new Set<string>(Object.values(zhCN))
    // Long plain messages (no quotes the minifier could rewrite) that are English only.
    const english = Object.values(en).filter((s) => s.length >= 24 && !chinese.has(s) && !/["'`\\\n]/.test(s))
    expect(english.length).toBeGreaterThan(20)
    expect(found(english, false)).toEqual({})
  })

  it('carries neither the official holiday calendar, the QR reader nor the service worker helper', () => {
    expect(found(['Spring Festival,', 'inversionAttempts', 'SKIP_WAITING'], false)).toEqual({})
  })
})
