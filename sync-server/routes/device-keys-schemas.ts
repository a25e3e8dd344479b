// Schemas of the device-key endpoints (TypeBox): the escrow key request and the erase report.

import { Type } from 'typebox'

export const DeviceIdSchema = Type.String({ minLength: 8, maxLength: 64, pattern: '^[0-9a-zA-Z_-]+$' })
export const EscrowBody = Type.Object({ deviceId: DeviceIdSchema, password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false })
export const ErasedBody = Type.Object({ deviceId: DeviceIdSchema, userId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false })
