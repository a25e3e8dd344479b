// TypeBox schemas of the queue, batch, case and service-metric endpoints: every query parameter
// and answer is bounded, so the OpenAPI document describes them exactly and bad input is a 400.

import { Type, type Static } from 'typebox'
import { CaseStatuses, Departments, MetricGroupings } from '../../src/core'
import { QueueStates } from '../storage/types'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 })
const Code = (len: number) => Type.String({ pattern: `^\\d{${len}}$` })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Str = (max: number) => Type.String({ maxLength: max })
/** One of a list of codes (an `enum` in the OpenAPI document). */
const OneOf = <T extends string>(values: readonly T[], opts: { description?: string; default?: T } = {}) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts })

export const QueueQuerySchema = Type.Object(
  {
    view: Type.Optional(Type.Union([Type.Literal('queue'), Type.Literal('supervision')], { description: 'supervision (督办): every overdue or nearly overdue open case of the county' })),
    state: Type.Optional(OneOf(QueueStates, { description: 'open (default): waiting for an office or the resident' })),
    department: Type.Optional(OneOf(Departments)),
    village: Type.Optional(Code(12)),
    item: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
    assignee: Type.Optional(Type.String({ pattern: '^(me|none|[A-Za-z0-9_-]{1,64})$', description: 'me, none (nobody holds it), or a user id' })),
    due: Type.Optional(Type.Union([Type.Literal('soon'), Type.Literal('overdue')], { description: 'soon: due within the configured working days (overdue included); overdue: past due' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'case number (from its start) or resident name, pinyin or initials (any part)' })),
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$', description: 'the `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
)
export type QueueParams = Static<typeof QueueQuerySchema>

const Assignee = Nullable(Type.Object({ userId: Str(64), name: Str(64), until: Str(40) }, { additionalProperties: false }))
const Acceptance = Type.Object(
  { receivedOn: Day, noticeDue: Day, workingDay: Type.Integer({ minimum: 0, maximum: 100000 }), flagged: Type.Boolean(), lapsed: Type.Boolean(), estimated: Type.Boolean() },
  { additionalProperties: false, description: '行政许可法 art. 32: flagged from the 3rd working day; past the 5th the case counts as accepted from receipt' },
)

export const QueueRowSchema = Type.Object(
  {
    id: Str(64),
    number: Str(40),
    village: Code(12),
    township: Code(9),
    item: Str(64),
    itemName: Str(200),
    department: Str(40),
    level: Str(20),
    status: OneOf(CaseStatuses),
    applicant: Str(64),
    applicantId: Str(40),
    due: Nullable(Day),
    dueKind: Type.Union([Type.Literal('acceptance'), Type.Literal('decision'), Type.Literal('correction'), Type.Literal('none')]),
    estimated: Type.Boolean({ description: 'computed past the official working-day data (预计)' }),
    fromReceipt: Type.Boolean({ description: 'accepted after the notice period: the deadline counts from receipt' }),
    paused: Type.Boolean(),
    suspended: Type.Boolean(),
    timeLeft: Type.Union([Type.Literal('on_track'), Type.Literal('due_soon'), Type.Literal('overdue'), Type.Literal('paused'), Type.Literal('none')]),
    acceptance: Nullable(Acceptance),
    assignee: Assignee,
    receivedAt: Nullable(Str(40)),
    submittedOn: Nullable(Day),
    updatedAt: Str(40),
  },
  { additionalProperties: false },
)

export const QueueAnswerSchema = Type.Object(
  {
    ok: Type.Literal(true),
    today: Day,
    dueSoonDays: Type.Integer({ minimum: 0, maximum: 30 }),
    rows: Type.Array(QueueRowSchema, { maxItems: 200 }),
    next: Nullable(Str(200)),
  },
  { additionalProperties: false },
)

export const BatchQuerySchema = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 30, description: 'batches received in the last N days' })),
    village: Type.Optional(Code(12)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
)
export type BatchParams = Static<typeof BatchQuerySchema>

export const BatchAnswerSchema = Type.Object(
  {
    ok: Type.Literal(true),
    batches: Type.Array(
      Type.Object(
        {
          village: Code(12),
          agent: Str(64),
          agentName: Str(200),
          device: Str(64),
          receivedAt: Str(40),
          cases: Type.Integer({ minimum: 0 }),
          pending: Type.Integer({ minimum: 0, description: 'still waiting for acceptance' }),
          missingPhotos: Type.Integer({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
)

export const CaseParamsSchema = Type.Object({ ref: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'case id or case number' }) }, { additionalProperties: false })
export const CaseQuerySchema = Type.Object(
  {
    reveal: Type.Optional(Type.Boolean({ description: 'show ID, phone and account numbers in full (audited)' })),
    reason: Type.Optional(Type.String({ minLength: 2, maxLength: 200, description: 'why the numbers are needed; required with reveal' })),
  },
  { additionalProperties: false },
)
export type CaseQuery = Static<typeof CaseQuerySchema>

const Open = Type.Object({}, { additionalProperties: true })
const FormValue = Type.Union([Str(5000), Type.Number(), Type.Null()])
export const CaseAnswerSchema = Type.Object(
  {
    ok: Type.Literal(true),
    case: Type.Object(
      {
        id: Str(64),
        number: Str(40),
        village: Code(12),
        township: Code(9),
        county: Code(6),
        item: Type.Object({ code: Str(64), version: Type.Integer(), name: Str(200) }, { additionalProperties: false }),
        department: Str(40),
        level: Str(20),
        status: OneOf(CaseStatuses),
        due: Nullable(Day),
        dueKind: Str(20),
        estimated: Type.Boolean(),
        paused: Type.Boolean(),
        fromReceipt: Type.Boolean(),
        timeLeft: Str(20),
        acceptance: Nullable(Acceptance),
        assignee: Assignee,
        state: Open,
        form: Type.Record(Type.String({ maxLength: 64 }), FormValue),
        maskedFields: Type.Array(Str(64), { maxItems: 200 }),
        revealed: Type.Boolean(),
        materials: Type.Record(Type.String({ maxLength: 64 }), Open),
        photos: Type.Array(Type.Object({ hash: Str(64), present: Type.Boolean() }, { additionalProperties: false }), { maxItems: 1000 }),
        notes: Type.Array(Open, { maxItems: 1000 }),
        events: Type.Array(Open, { maxItems: 1000 }),
        createdAt: Str(40),
        updatedAt: Str(40),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

export const MetricsQuerySchema = Type.Object(
  {
    from: Day,
    to: Day,
    by: Type.Optional(OneOf(MetricGroupings, { default: 'township' })),
    township: Type.Optional(Code(9)),
    department: Type.Optional(OneOf(Departments)),
  },
  { additionalProperties: false },
)
export type MetricsParams = Static<typeof MetricsQuerySchema>

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }))
const Figures = Type.Object(
  {
    takenIn: Type.Integer({ minimum: 0 }),
    accepted: Type.Integer({ minimum: 0 }),
    completed: Type.Integer({ minimum: 0 }),
    onTimeRate: Rate,
    onTheSpotRate: Rate,
    averageWorkingDays: Nullable(Type.Number({ minimum: 0 })),
    returnRate: Rate,
    averageTrips: Nullable(Type.Number({ minimum: 0 })),
    zeroTripShare: Rate,
    ratings: Type.Object({ veryGood: Type.Integer(), good: Type.Integer(), fair: Type.Integer(), bad: Type.Integer(), veryBad: Type.Integer() }, { additionalProperties: false }),
    satisfactionRate: Rate,
    meetsTargets: Type.Object({ onTime: Nullable(Type.Boolean()), onTheSpot: Nullable(Type.Boolean()), satisfaction: Nullable(Type.Boolean()) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)

export const MetricsAnswerSchema = Type.Object(
  {
    ok: Type.Literal(true),
    from: Day,
    to: Day,
    by: Str(20),
    targets: Type.Object({ onTimeRate: Type.Number(), onTheSpotRate: Type.Number(), satisfactionRate: Type.Number() }, { additionalProperties: false }),
    total: Figures,
    groups: Type.Array(Type.Object({ key: Str(64), name: Str(200), figures: Figures }, { additionalProperties: false }), { maxItems: 5000 }),
    weekly: Type.Array(Type.Object({ week: Day, takenIn: Type.Integer({ minimum: 0 }), onTimeRate: Rate }, { additionalProperties: false }), { maxItems: 200 }),
  },
  { additionalProperties: false },
)
