// Schemas of the administration endpoints (TypeBox): bounded strings, bounded lists, no extra
// properties. Checked by Fastify before the handler runs, and published in the OpenAPI document.

import { Type } from 'typebox'
import { Departments, Roles } from '../../src/core'
import { Ok } from '../http/api-types'

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

export const AccountParams = Type.Object({ id: AccountId }, { additionalProperties: false })
export const ItemCodeParams = Type.Object({ code: ItemCodeParam }, { additionalProperties: false })
export const YearParams = Type.Object({ year: YearParam }, { additionalProperties: false })

const Loose = Type.Object({}, { additionalProperties: true })
export const OrgAnswer = Ok({ county: Type.String(), units: Type.Array(Loose) })
export const ImportAnswer = Ok({}, 'what the import created, changed or would change (dry run)')
export const AccountsAnswer = Ok({ accounts: Type.Array(Loose) })
export const AccountAnswer = Ok({ account: Loose })
export const ResetAnswer = Ok({}, 'the temporary password to hand over')
export const Done = Ok({})
export const MustChangeAnswer = Ok({ mustChange: Type.Boolean() })
export const DevicesAnswer = Ok({ devices: Type.Array(Loose) })
export const ItemsAnswer = Ok({ items: Type.Array(Loose) })
export const ItemAnswer = Ok({ item: Loose })
export const AdminCalendarAnswer = Ok({ officialYears: Type.Array(Type.Integer()), loaded: Type.Array(Loose) })
export const YearAnswer = Ok({ year: Type.Integer() })
export const AuditAnswer = Ok({}, 'audit entries, newest first, and the cursor of the next page')
