// Schemas of the reference data: organisation tree, service catalogue, working-day arrangements.
// The catalogue and an arrangement are checked field by field by the core's own validators
// (422 `validation` with every problem listed), so their bodies are only shaped here.

import { Type } from 'typebox'
import { Ok } from '../http/api-types'

const Loose = Type.Object({}, { additionalProperties: true })

export const CatalogueBody = Type.Object(
  { items: Type.Array(Type.Unknown({ description: 'a service item (checked by validateCatalogue: 422 with the problems)' }), { maxItems: 2000 }) },
  { additionalProperties: false },
)
export const ArrangementBody = Type.Object(
  {
    year: Type.Optional(Type.Unknown({ description: 'the year, as in the path (integer)' })),
    holidays: Type.Optional(Type.Unknown({ description: 'YYYY-MM-DD days off' })),
    workdays: Type.Optional(Type.Unknown({ description: 'YYYY-MM-DD weekend days worked' })),
    source: Type.Optional(Type.Unknown({ description: 'where the arrangement was published (optional text)' })),
  },
  { additionalProperties: false, description: 'checked by validateArrangement: 422 with the problems' },
)
export const YearParams = Type.Object({ year: Type.String({ pattern: '^[0-9]{4}$' }) }, { additionalProperties: false })

export const OrgAnswer = Ok({ units: Type.Array(Loose) })
export const CatalogueAnswer = Ok({ items: Type.Array(Loose) })
export const CatalogueLoaded = Ok({ items: Type.Integer() })
export const CalendarAnswer = Ok({ arrangements: Type.Array(Loose) })
export const YearLoaded = Ok({ year: Type.Integer() })
