// Schemas of the photo (blob) endpoints.

import { Type } from 'typebox'
import { Ok } from '../http/api-types'

export const HashParams = Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes, 64 lowercase hex digits' }) }, { additionalProperties: false })
export const CaseIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false })
export const UploadHeaders = Type.Object({
  'upload-offset': Type.String({ pattern: '^[0-9]{1,16}$', description: 'bytes the server holds (from HEAD)' }),
  'upload-length': Type.String({ pattern: '^[0-9]{1,16}$', description: 'the whole file in bytes' }),
})
export const Bytes = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' })
export const UploadAnswer = Ok({ hash: Type.String(), received: Type.Integer(), complete: Type.Boolean() })
export const CaseBlobsAnswer = Ok({ caseId: Type.String(), blobs: Type.Array(Type.Object({}, { additionalProperties: true })), missing: Type.Integer() })
