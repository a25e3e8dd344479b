// Device enrolment: a village device gets the device number it puts into offline case numbers,
// and registers the public key that verifies the receipts it signs.

import { DaibanError, ErrorCode, isVillageCode } from '../../src/core'
import { authenticateActive, requireRole } from '../auth/authenticate'
import type { ServerContext } from '../context'
import { JSON_LIMIT } from '../context'
import { readJson } from '../http/body'
import { badRequest } from '../http/errors'
import { sendJson } from '../http/respond'
import type { Router } from '../http/router'

const DEVICE_ID = /^[0-9a-zA-Z_-]{8,64}$/

export function deviceRoutes(router: Router, ctx: ServerContext): void {
  router.on('POST', '/api/devices', async ({ req, res }) => {
    const claims = await authenticateActive(ctx, req)
    requireRole(claims, 'agent')
    if (!isVillageCode(claims.scope)) throw new DaibanError(ErrorCode.forbidden, 'only an agent of one village can enrol a device')
    const body = await readJson(req, JSON_LIMIT)
    if (typeof body !== 'object' || body === null) throw badRequest('body must be an object {deviceId, publicKey, label}')
    const { deviceId, publicKey, label } = body as Record<string, unknown>
    if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) throw badRequest('deviceId must be 8–64 letters, digits, - or _')
    if (typeof publicKey !== 'string' || publicKey.length < 20 || publicKey.length > 2000) throw badRequest('publicKey must be a public key (JWK or SPKI text)')
    if (label !== undefined && (typeof label !== 'string' || label.length > 100)) throw badRequest('label must be text of at most 100 characters')
    const existing = await ctx.storage.getDevice(deviceId)
    if (existing && (existing.userId !== claims.sub || existing.publicKey !== publicKey))
      throw new DaibanError(ErrorCode.conflict, 'this device id is enrolled to another account or key')
    const device = await ctx.storage.enrolDevice({
      id: deviceId,
      userId: claims.sub,
      villageCode: claims.scope,
      publicKey,
      label: typeof label === 'string' ? label : '',
    })
    sendJson(res, 200, { ok: true, deviceId: device.id, deviceNumber: device.deviceNumber, villageCode: device.villageCode })
  })
}
