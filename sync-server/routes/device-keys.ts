// Device keys: POST /api/devices/escrow hands the device escrow key to an online sign-in on its
// enrolled device; POST /api/devices/erased records a revoked device's erase. Logic in
// auth/device-escrow.ts, schemas in device-keys-schemas.ts.

import { authenticateActive } from '../auth/authenticate'
import { clientAddress } from '../auth/client-address'
import { presentedCredential } from '../auth/device-credential'
import { confirmDeviceErased, deviceEscrowKey } from '../auth/device-escrow'
import type { ServerContext } from '../context'
import { JSON_LIMIT } from '../context'
import { readJson } from '../http/body'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'
import { check } from './admin-schemas'
import { ErasedBody, EscrowBody } from './device-keys-schemas'

export function deviceKeyRoutes(router: Router, ctx: ServerContext): void {
  router.on('POST', '/api/devices/escrow', async ({ req, res }) => {
    const claims = await authenticateActive(ctx, req)
    const body = check(EscrowBody, await readJson(req, JSON_LIMIT), 'body')
    const out = await deviceEscrowKey(ctx, claims, { ...body, credential: presentedCredential(req), address: clientAddress(req, ctx.config.trustProxy === true) })
    res.setHeader('cache-control', 'no-store')
    sendJson(res, 200, { ok: true, ...out })
  })

  router.on('POST', '/api/devices/erased', async ({ req, res }) => {
    const body = check(ErasedBody, await readJson(req, JSON_LIMIT), 'body')
    sendJson(res, 200, { ok: true, ...(await confirmDeviceErased(ctx, { ...body, credential: presentedCredential(req) })) })
  })
}
