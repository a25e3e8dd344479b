// Schemas of the administration endpoints (TypeBox): bounded strings, bounded lists, no extra
// properties. Used by the route handlers and, through them, by the OpenAPI document.

import { Type, type Static, type TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { DaibanError, Departments, ErrorCode, Roles } from '../../src/core'

export const AccountId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' })
export const NewAccountBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 32 }),
    displayName: Type.String({ minLength: 1, maxLength: 40 }),
    role: Type.Union(Roles.map((r) => Type.Literal(r))),
    scope: Type.String({ minLength: 6, maxLength: 12, pattern: '^[0-9]+$' }),
    department: Type.Optional(Type.Union([Type.Null(), ...Departments.map((d) => Type.Literal(d))])),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export const ImportBody = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 400_000 }), dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false })
export const PasswordBody = Type.Object({ current: Type.String({ minLength: 1, maxLength: 256 }), next: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false })
export const ItemCodeParam = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' })
export const ItemVersionBody = Type.Object({ item: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()) }, { additionalProperties: false })
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })
export const ArrangementBody = Type.Object(
  { year: Type.Integer({ minimum: 2000, maximum: 2200 }), holidays: Type.Array(Day, { maxItems: 120 }), workdays: Type.Array(Day, { maxItems: 30 }), source: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
)
export const YearParam = Type.String({ pattern: '^[0-9]{4}$' })
export const AuditQuerySchema = Type.Object(
  {
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    case: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_:]+$' })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
)

/** Checks a value against a schema; 400 naming every wrong field. */
export function check<S extends TSchema>(schema: S, value: unknown, where: string): Static<S> {
  if (Value.Check(schema, value)) return value as Static<S>
  const problems = [...Value.Errors(schema, value)].slice(0, 20).map((e) => `${where}${e.instancePath || ''}: ${e.message}`)
  throw new DaibanError(ErrorCode.badRequest, problems.join('; '), { problems })
}
