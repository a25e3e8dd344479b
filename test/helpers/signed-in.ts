// The end-to-end tests' common set-up: the real server as a process, one Chromium profile, and the
// sign-in form filled in the way a user does.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser, type BrowserSession } from './browser'
import { startServerProcess, type ServerProcess } from './server-process'

export interface ServerAndBrowser {
  server: ServerProcess
  browser: BrowserSession & { profile: string }
}

/**
 * Starts the server process and a Chromium before the enclosing describe block's tests and stops
 * both after them. The fields are set once `beforeAll` has run, so read them inside tests.
 */
export function useServerAndBrowser(opts: { keepProfile?: boolean } = {}): ServerAndBrowser {
  const app = {} as ServerAndBrowser
  beforeAll(async () => {
    app.server = await startServerProcess()
    app.browser = await launchBrowser(opts)
  })
  afterAll(async () => {
    await app.browser?.close()
    await app.server?.stop()
  })
  return app
}

/** Fills in the sign-in form and submits it, without waiting for the outcome. */
export async function submitSignIn(page: Page, username: string, password = 'demo'): Promise<void> {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Signs in and waits until the signed-in shell (its sync status) shows. */
export async function signIn(page: Page, username: string, password = 'demo', opts: { timeout?: number } = {}): Promise<void> {
  await submitSignIn(page, username, password)
  await page.getByTestId('sync-status').waitFor(opts.timeout === undefined ? undefined : { timeout: opts.timeout })
}
