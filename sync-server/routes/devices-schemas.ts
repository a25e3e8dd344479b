// Schemas of device enrolment and revocation.

import { Type } from 'typebox'
import { Ok } from '../http/api-types'

export const DeviceId = Type.String({ pattern: '^[0-9a-zA-Z_-]{8,64}$', minLength: 8, maxLength: 64, description: '8–64 letters, digits, - or _' })

export const EnrolBody = Type.Object(
  {
    deviceId: DeviceId,
    publicKey: Type.String({ minLength: 20, maxLength: 2000, description: 'the public key verifying the receipts the device signs (JWK or SPKI text)' }),
    label: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
)
export const DeviceParams = Type.Object({ id: DeviceId }, { additionalProperties: false })

export const EnrolAnswer = Ok({
  deviceId: Type.String(),
  deviceNumber: Type.Integer(),
  villageCode: Type.String(),
  credential: Type.String({ description: 'presented as X-Daiban-Device with every sync' }),
})
export const RevokeAnswer = Ok({ deviceId: Type.String(), revokedAt: Type.String() })
