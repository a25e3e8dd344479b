// Device enrolment and revocation. A device gets the device number it puts into offline case
// numbers, registers the public key that verifies the receipts it signs, and receives the
// credential it presents with every sync (auth/device-credential.ts). Staff devices enrol too,
// within their own township or county. An administrator revokes a device within the admin's scope:
// its syncs are refused (403 device_revoked) and its sockets closed at once.

import { DaibanError, ErrorCode, isWithin } from '../../src/core'
import { authenticateActive, requireRole } from '../auth/authenticate'
import { issueDeviceCredential } from '../auth/device-credential'
import type { ServerContext } from '../context'
import { JSON_LIMIT } from '../context'
import { readJson } from '../http/body'
import { badRequest } from '../http/errors'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'
import { highestPaperSeq } from '../paper/paper-store'

const DEVICE_ID = /^[0-9a-zA-Z_-]{8,64}$/

export function deviceRoutes(router: Router, ctx: ServerContext): void {
  router.on('POST', '/api/devices', async ({ req, res }) => {
    const claims = await authenticateActive(ctx, req)
    requireRole(claims, 'agent', 'township', 'county', 'admin')
    const body = await readJson(req, JSON_LIMIT)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body must be an object {deviceId, publicKey, label}')
    const { deviceId, publicKey, label } = body as Record<string, unknown>
    if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) throw badRequest('deviceId must be 8–64 letters, digits, - or _')
    if (typeof publicKey !== 'string' || publicKey.length < 20 || publicKey.length > 2000) throw badRequest('publicKey must be a public key (JWK or SPKI text)')
    if (label !== undefined && (typeof label !== 'string' || label.length > 100)) throw badRequest('label must be text of at most 100 characters')
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
      label: typeof label === 'string' ? label : '',
    })
    sendJson(res, 200, {
      ok: true,
      deviceId: device.id,
      deviceNumber: device.deviceNumber,
      villageCode: device.villageCode,
      credential: issueDeviceCredential(ctx.secret, device.id, device.userId),
    })
  })

  router.on('POST', '/api/devices/:id/revoke', async ({ req, res, params }) => {
    const claims = await authenticateActive(ctx, req)
    requireRole(claims, 'admin')
    const id = params.id ?? ''
    if (!DEVICE_ID.test(id)) throw badRequest('a device id is 8–64 letters, digits, - or _', { field: 'id' })
    const device = await ctx.storage.getDevice(id)
    if (!device || !isWithin(device.villageCode, claims.scope)) throw new DaibanError(ErrorCode.notFound, 'no such device in your scope')
    // Papers above the highest sequence received so far are "not confirmed" from now on.
    const revoked = (await ctx.storage.revokeDevice(id, Date.now(), await highestPaperSeq(ctx.storage, id)))!
    await ctx.guard.deviceChanged(id)
    ctx.log.info({ deviceId: id, by: claims.sub }, 'device revoked')
    sendJson(res, 200, { ok: true, deviceId: id, revokedAt: new Date(revoked.revokedAt!).toISOString() })
  })
}
