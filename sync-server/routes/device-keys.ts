// Device keys: POST /api/devices/escrow hands the device escrow key to an online sign-in on its
// enrolled device; POST /api/devices/erased records a revoked device's erase. Logic in
// auth/device-escrow.ts, schemas in device-keys-schemas.ts.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { clientAddress } from '../auth/client-address'
import { presentedCredential } from '../auth/device-credential'
import { confirmDeviceErased, deviceEscrowKey } from '../auth/device-escrow'
import type { ServerContext } from '../context'
import { answers, claimsOf, Ok } from '../http/api-types'
import { ErasedBody, EscrowBody } from './device-keys-schemas'

const TAGS = ['devices']

export function deviceKeyRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/devices/escrow',
      {
        config: { auth: 'active' },
        schema: {
          tags: TAGS,
          summary: 'The escrow key that opens this device’s data for this account (enrolled, not revoked device; password asked again)',
          body: EscrowBody,
          response: answers({ 200: Ok({ key: Type.String({ description: 'the device escrow key, base64 (docs/security.md)' }) }) }),
        },
      },
      async (request, reply) => {
        const out = await deviceEscrowKey(ctx, claimsOf(request), { ...request.body, credential: presentedCredential(request.raw), address: clientAddress(request.raw, ctx.config.trustProxy === true) })
        reply.header('cache-control', 'no-store')
        return { ok: true as const, ...out }
      },
    )

    app.post(
      '/api/devices/erased',
      {
        schema: {
          tags: TAGS,
          summary: 'A revoked device reports that it erased its data (device credential only)',
          body: ErasedBody,
          response: answers({ 200: Ok({ recorded: Type.Boolean() }) }),
        },
      },
      async (request) => ({ ok: true as const, ...(await confirmDeviceErased(ctx, { ...request.body, credential: presentedCredential(request.raw) })) }),
    )
  }
}
