// Real Chromium (Debian's package) driven by playwright-core, with the flags this machine needs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH

export function hasChromium(): boolean {
  return Boolean(CHROMIUM_PATH)
}

export interface BrowserSession {
  context: BrowserContext
  close(): Promise<void>
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * A persistent profile, so service worker and IndexedDB survive a page close like on a tablet.
 * Pass the same `profile` again to "restart the browser" with everything it stored.
 */
export async function launchBrowser(opts: { profile?: string; keepProfile?: boolean } = {}): Promise<BrowserSession & { profile: string }> {
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'daiban-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH!,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  })
  return {
    context,
    profile,
    async close() {
      await context.close()
      if (!opts.keepProfile) rmSync(profile, { recursive: true, force: true })
    },
  }
}

export type { Browser }

/** One Chromium with several isolated contexts: separate devices (own IndexedDB, own service worker). */
export async function launchContexts(n: number): Promise<{ contexts: BrowserContext[]; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH!, headless: true, args: CHROMIUM_ARGS })
  const contexts: BrowserContext[] = []
  for (let i = 0; i < n; i++) contexts.push(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' }))
  return { contexts, close: () => browser.close() }
}
