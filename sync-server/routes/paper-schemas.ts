// Schemas of the paper endpoints: the signed payload in the path (base64url, 128 characters).
import { Type } from 'typebox'

export const PaperPayloadParam = Type.String({ minLength: 128, maxLength: 128, pattern: '^[A-Za-z0-9_-]{128}$' })
export const PaperPageQuery = Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])) })
