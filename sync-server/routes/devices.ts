// Device enrolment and revocation. A device gets the device number it puts into offline case
// numbers, registers the public key that verifies the receipts it signs, and receives the
// credential it presents with every sync (auth/device-credential.ts). Staff devices enrol too,
// within their own township or county. An administrator revokes a device within the admin's scope:
// its syncs are refused (403 device_revoked) and its sockets closed at once.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DaibanError, ErrorCode, isWithin } from '../../src/core'
import { issueDeviceCredential } from '../auth/device-credential'
import type { ServerContext } from '../context'
import { answers, claimsOf } from '../http/api-types'
import { DeviceParams, EnrolAnswer, EnrolBody, RevokeAnswer } from './devices-schemas'
import { highestPaperSeq } from '../paper/paper-store'

const TAGS = ['devices']

export function deviceRoutes(ctx: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/devices',
      {
        config: { auth: 'active', roles: ['agent', 'township', 'county', 'admin'] },
        schema: { tags: TAGS, summary: 'Enrol this device: its device number and the credential it presents with every sync', body: EnrolBody, response: answers({ 200: EnrolAnswer }) },
      },
      async (request) => {
        const claims = claimsOf(request)
        const { deviceId, publicKey, label } = request.body
        const existing = await ctx.storage.getDevice(deviceId)
        if (existing && (existing.userId !== claims.sub || existing.publicKey !== publicKey))
          throw new DaibanError(ErrorCode.conflict, 'this device id is enrolled to another account or key')
        if (existing?.revokedAt != null) throw new DaibanError(ErrorCode.deviceRevoked, 'this device has been revoked; enrol it under a new device id')
        const device = await ctx.storage.enrolDevice({
          id: deviceId,
          userId: claims.sub,
          // Numbers count per village for agents; staff devices are numbered within their township or county.
          villageCode: claims.scope,
          publicKey,
          label: label ?? '',
        })
        return {
          ok: true as const,
          deviceId: device.id,
          deviceNumber: device.deviceNumber,
          villageCode: device.villageCode,
          credential: issueDeviceCredential(ctx.secret, device.id, device.userId),
        }
      },
    )

    app.post(
      '/api/devices/:id/revoke',
      {
        config: { auth: 'active', roles: ['admin'] },
        schema: { tags: TAGS, summary: 'Revoke a device in the administrator’s scope: its syncs are refused and its sockets closed', params: DeviceParams, response: answers({ 200: RevokeAnswer }) },
      },
      async (request) => {
        const claims = claimsOf(request)
        const id = request.params.id
        const device = await ctx.storage.getDevice(id)
        if (!device || !isWithin(device.villageCode, claims.scope)) throw new DaibanError(ErrorCode.notFound, 'no such device in your scope')
        // Papers above the highest sequence received so far are "not confirmed" from now on.
        const revoked = (await ctx.storage.revokeDevice(id, Date.now(), await highestPaperSeq(ctx.storage, id)))!
        await ctx.guard.deviceChanged(id)
        ctx.log.info({ deviceId: id, by: claims.sub }, 'device revoked')
        return { ok: true as const, deviceId: id, revokedAt: new Date(revoked.revokedAt!).toISOString() }
      },
    )
  }
}
