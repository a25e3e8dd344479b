// Throws more than 10,000 generated bad requests at a real in-process server (SQLite, and also
// PostgreSQL when TEST_DATABASE_URL is set) and holds it to its contract for every single one:
//
// - a 4xx answer with a JSON reason { ok: false, error: { code, message } } — for /api/sync too,
//   since its errors go through sendError;
// - except for a well-formed sync frame whose Yjs updates are garbage, truncated or forged: the
//   frame is fine, so the answer is 200, and every acknowledgement in it is a rejection with a
//   code and a message, and nothing is stored.
//
// Afterwards the server must still answer GET /api/health and the stored data must be unchanged
// (log head, log size, and the row and log of a case seeded through a real device).
//
// The requests come from fast-check with a fixed seed (override with BAD_INPUT_SEED) so a failure
// replays; a failure lists the first offending requests with what was sent and what came back.
//
// The last test of each suite goes past "bad frames": well-formed commands from the right people
// whose optional text fields are not text.

import { gzipSync } from 'node:zlib'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import demoCatalogue from '../../demo/catalogue.json'
import {
  decodeSyncResponse,
  encodeSyncRequest,
  initCaseDoc,
  isCaseId,
  newCaseNumber,
  requestHeaderProblem,
  SYNC_CONTENT_TYPE,
  validateArrangement,
  validateCatalogue,
  type CaseId,
  type CaseMeta,
  type CaseNumber,
  type DivisionCode,
  type ItemCode,
  type PushCommand,
  type Role,
  type SyncRequestHeader,
  type UserId,
  type VillageCode,
} from '../../src/core'
import { dbOf } from '../../sync-server/admin/setup'
import { issueToken } from '../../sync-server/auth/tokens'
import { MAX_SYNC_BODY, MAX_SYNC_INFLATED } from '../../sync-server/routes/sync'
import { itemNamed, newDevice, takeInCase } from '../helpers/device'
import { hasPostgres } from '../helpers/pg'
import { startTestServer, type StorageChoice, type TestServer } from '../helpers/server'

const storages: StorageChoice[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite']

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20270405)
const CONCURRENCY = 16
const MIN_REQUESTS = 10_000

const USERS = ['agent', 'agent2', 'township', 'township2', 'county', 'admin'] as const
type User = (typeof USERS)[number]
const OTHER_VILLAGE = '340826107291' as VillageCode // agent2's village; 'agent' is of 340826106001

// ---------------------------------------------------------------------------------------------
// What is sent and what must come back

type Expectation =
  /** 4xx with a JSON reason; optionally exactly these statuses / codes. */
  | { kind: 'error'; status?: readonly number[]; code?: readonly string[] }
  /** 200 sync answer in which every update (code per update; null = any) and command is refused. */
  | { kind: 'rejected'; updates: readonly (string | null)[]; commands?: readonly string[] }

interface Probe {
  family: string
  what: string
  method: string
  path: string
  headers: Record<string, string | undefined>
  body?: Uint8Array | string | (() => ReadableStream<Uint8Array>)
  expect: Expectation
}

const anyError: Expectation = { kind: 'error' }
const error = (status: number | readonly number[], code?: string | readonly string[]): Expectation => ({
  kind: 'error',
  status: typeof status === 'number' ? [status] : status,
  ...(code === undefined ? {} : { code: typeof code === 'string' ? [code] : code }),
})

function preview(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 300)).toString('utf8')
  return JSON.stringify(text) + (bytes.length > 300 ? `…(${bytes.length} bytes)` : '')
}

function show(v: unknown): string {
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    s = String(v)
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s
}

function checkError(p: Probe, e: Extract<Expectation, { kind: 'error' }>, res: Response, bytes: Uint8Array): string | null {
  const got = `HTTP ${res.status} ${preview(bytes)}`
  if (res.status < 400 || res.status > 499) return `expected 4xx, got ${got}`
  if (e.status && !e.status.includes(res.status)) return `expected HTTP ${e.status.join('/')}, got ${got}`
  if (!/^application\/json\b/.test(res.headers.get('content-type') ?? '')) return `expected a JSON answer, got content-type ${res.headers.get('content-type')}: ${got}`
  let body: { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof body
  } catch {
    return `answer is not JSON: ${got}`
  }
  if (body?.ok !== false) return `expected ok:false, got ${got}`
  const { code, message } = body.error ?? {}
  if (typeof code !== 'string' || code === '') return `error.code missing: ${got}`
  if (typeof message !== 'string' || message.trim() === '') return `error.message missing: ${got}`
  if (e.code && !e.code.includes(code)) return `expected code ${e.code.join('/')}, got ${got}`
  return null
}

function checkRejected(e: Extract<Expectation, { kind: 'rejected' }>, res: Response, bytes: Uint8Array): string | null {
  if (res.status !== 200) return `expected 200 with refusals, got HTTP ${res.status} ${preview(bytes)}`
  if (!(res.headers.get('content-type') ?? '').startsWith(SYNC_CONTENT_TYPE)) return `expected a sync answer, got content-type ${res.headers.get('content-type')}`
  let header
  try {
    header = decodeSyncResponse(bytes).header
  } catch (err) {
    return `answer is not a sync frame: ${(err as Error).message}`
  }
  if (header.acks.length !== e.updates.length) return `expected ${e.updates.length} acks, got ${show(header.acks)}`
  for (let i = 0; i < e.updates.length; i++) {
    const ack = header.acks[i]!
    if (ack.ok) return `update ${i} (${ack.caseId}) was ACCEPTED`
    if (typeof ack.code !== 'string' || !ack.code || typeof ack.message !== 'string' || !ack.message.trim()) return `update ${i} refused without a reason: ${show(ack)}`
    const want = e.updates[i]
    if (want && ack.code !== want) return `update ${i} refused with ${ack.code} (${ack.message}), expected ${want}`
  }
  const commands = e.commands ?? []
  if (header.commands.length !== commands.length) return `expected ${commands.length} command answers, got ${show(header.commands)}`
  for (let i = 0; i < commands.length; i++) {
    const answer = header.commands[i]!
    if (answer.ok) return `command ${i} was EXECUTED: ${show(answer)}`
    if (answer.code !== commands[i] || !answer.message) return `command ${i} refused with ${show(answer)}, expected ${commands[i]}`
  }
  if (header.receipt.cases.length) return `receipt lists stored cases ${show(header.receipt.cases)}`
  return null
}

async function send(url: string, p: Probe): Promise<string | null> {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(p.headers)) if (v !== undefined) headers[k] = v
  const init: RequestInit & { duplex?: 'half' } = { method: p.method, headers }
  if (typeof p.body === 'function') {
    init.body = p.body()
    init.duplex = 'half'
  } else if (p.body !== undefined) init.body = p.body as BodyInit
  const res = await fetch(url + p.path, init)
  const bytes = new Uint8Array(await res.arrayBuffer())
  return p.expect.kind === 'error' ? checkError(p, p.expect, res, bytes) : checkRejected(p.expect, res, bytes)
}

/** Sends every probe, `concurrency` at a time; returns one line per broken contract. */
async function sendAll(url: string, probes: Probe[], concurrency = CONCURRENCY): Promise<string[]> {
  const failures: string[] = []
  let next = 0
  const worker = async () => {
    while (next < probes.length) {
      const p = probes[next++]!
      let problem: string | null
      try {
        problem = await send(url, p)
      } catch (e) {
        const cause = (e as { cause?: { message?: string } }).cause?.message
        problem = `request failed: ${(e as Error).message}${cause ? ` (${cause})` : ''}`
      }
      if (problem) failures.push(`[${p.family}] ${p.method} ${p.path} ${p.what} → ${problem}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, worker))
  return failures
}

// ---------------------------------------------------------------------------------------------
// Generation helpers

let salt = 0
/** n values of an arbitrary, reproducible from SEED. */
const gen = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { numRuns: n, seed: SEED + ++salt })

let serial = 0
const uid = (prefix: string) => `${prefix}${(serial++).toString(36).padStart(8, '0')}`
const freshCaseId = () => uid('zzfuzz') as CaseId

const ID = /^[0-9A-Za-z_-]{8,64}$/
const printable = (constraints: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), ...constraints })
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
const pick = <T>(list: readonly T[], at: number): T => list[Math.floor(at * list.length) % list.length]!

function frame(version: number, headerText: string, blobs: Uint8Array[] = [], tail?: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, version)
  encoding.writeVarString(enc, headerText)
  for (const b of blobs) encoding.writeVarUint8Array(enc, b)
  if (tail) encoding.writeUint8Array(enc, tail)
  return encoding.toUint8Array(enc)
}

function syncHeader(over: Partial<SyncRequestHeader> = {}): SyncRequestHeader {
  return { batchId: uid('batch-'), deviceId: 'fuzz-device-0001', updates: [], commands: [], pull: null, ...over }
}

function isParseable(s: string): boolean {
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}

/** The route's own checks of a device enrolment body, to keep generated bodies invalid. */
function deviceBodyProblem(b: unknown): string | null {
  if (typeof b !== 'object' || b === null) return 'not an object'
  const { deviceId, publicKey, label } = b as Record<string, unknown>
  if (typeof deviceId !== 'string' || !ID.test(deviceId)) return 'deviceId'
  if (typeof publicKey !== 'string' || publicKey.length < 20 || publicKey.length > 2000) return 'publicKey'
  if (label !== undefined && (typeof label !== 'string' || label.length > 100)) return 'label'
  return null
}

// ---------------------------------------------------------------------------------------------
// The world the probes are aimed at

interface World {
  srv: TestServer
  tokens: Record<User, string>
  ids: Record<User, UserId>
  caseId: CaseId
  caseNumber: CaseNumber
  item: { code: ItemCode; version: number }
  agentDeviceId: string
  /** The agent's simulated device, to make more cases. */
  agent: Awaited<ReturnType<typeof newDevice>>
  /** The seeded case's whole state, and its log entries one by one. */
  full: Uint8Array
  updates: Uint8Array[]
}

interface Fingerprint {
  headSeq: number
  countLog: number
  caseRow: unknown
  caseLog: unknown
}

async function fingerprint(w: World): Promise<Fingerprint> {
  return {
    headSeq: await w.srv.storage.headSeq(),
    countLog: await w.srv.storage.countLog(),
    caseRow: await w.srv.storage.getCase(w.caseId),
    caseLog: await w.srv.storage.caseLog(w.caseId),
  }
}

// ---------------------------------------------------------------------------------------------
// Families of bad sync requests answered with 4xx

function syncProbe(family: string, what: string, token: string | null, body: Probe['body'], expect: Expectation, headers: Record<string, string | undefined> = {}): Probe {
  return {
    family,
    what,
    method: 'POST',
    path: '/api/sync',
    headers: { 'content-type': SYNC_CONTENT_TYPE, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
    expect,
  }
}

/** A well-formed request (header + update blobs) that would be accepted as a frame. */
function validFrameArb(w: World) {
  return fc
    .record({
      blobs: fc.array(fc.oneof(fc.constant(w.full), fc.constantFrom(...w.updates), fc.uint8Array({ maxLength: 300 })), { maxLength: 3 }),
      commands: fc.integer({ min: 0, max: 2 }),
      pull: fc.option(fc.record({ cursor: fc.nat(), limit: fc.integer({ min: 1, max: 2000 }) }), { nil: null }),
    })
    .map(({ blobs, commands, pull }) => ({
      header: syncHeader({
        updates: blobs.map(() => freshCaseId()),
        commands: Array.from({ length: commands }, (): PushCommand => ({ id: uid('cmd-'), caseId: freshCaseId(), command: { type: 'submit', at: new Date().toISOString() } })),
        pull,
      }),
      blobs,
    }))
}

const tokenOf = (w: World) => fc.constantFrom(...USERS).map((u) => ({ user: u, token: w.tokens[u] }))

function truncatedFrames(w: World, n: number): Probe[] {
  return gen(fc.tuple(validFrameArb(w), fraction, tokenOf(w)), n).map(([{ header, blobs }, at, { user, token }]) => {
    const bytes = encodeSyncRequest({ header, updates: blobs })
    const cut = Math.floor(at * bytes.length)
    return syncProbe('truncated', `(${user}) valid ${bytes.length}-byte frame cut to ${cut} bytes`, token, bytes.slice(0, cut), error(400, 'bad_request'))
  })
}

function garbageFrames(w: World, n: number): Probe[] {
  return gen(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 2048 }), tokenOf(w)), n).map(([lead, random, { user, token }]) => {
    const body = lead ? Buffer.concat([Uint8Array.of(1), random]) : random
    return syncProbe('garbage', `(${user}) ${body.length} random bytes${lead ? ' after version 1' : ''}: ${Buffer.from(body.subarray(0, 24)).toString('hex')}`, token, new Uint8Array(body), error(400, ['bad_request', 'unsupported_version']))
  })
}

function badHeaders(w: World, n: number): Probe[] {
  const notId = fc.oneof(fc.jsonValue(), fc.string({ maxLength: 80 }), fc.stringMatching(/^[0-9A-Za-z_-]{65,70}$/)).filter((v) => typeof v !== 'string' || !ID.test(v))
  const notCaseId = fc
    .oneof(fc.jsonValue(), fc.string({ maxLength: 50 }), fc.stringMatching(/^[0-9A-Z]{8,40}$/), fc.stringMatching(/^[0-9a-z]{41,50}$/), fc.stringMatching(/^[0-9a-z]{0,7}$/))
    .filter((v) => !isCaseId(v))
  const notArray = fc.jsonValue().filter((v) => !Array.isArray(v))
  const badCommand = fc.oneof(
    fc.jsonValue().filter((v) => typeof v !== 'object' || v === null),
    notId.map((id) => ({ id, caseId: freshCaseId(), command: { type: 'submit' } })),
    notCaseId.map((caseId) => ({ id: uid('cmd-'), caseId, command: { type: 'submit' } })),
    fc.jsonValue().filter((v) => typeof v !== 'object' || v === null).map((command) => ({ id: uid('cmd-'), caseId: freshCaseId(), command })),
    fc.constant({ id: uid('cmd-'), caseId: freshCaseId() }),
  )
  const badCursor = fc.oneof(fc.constantFrom(-1, -1000, 1.5, 2 ** 53, 1e300, '0', null, true), fc.jsonValue())
  const badLimit = fc.oneof(fc.constantFrom(0, 1e9, 2001, -1, 1.5, '10', null, false), fc.jsonValue())
  type Mutation = { what: string; apply(h: Record<string, unknown>): void }
  const m = (what: string, apply: Mutation['apply']): Mutation => ({ what, apply })
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    notId.map((v) => m(`batchId ${show(v)}`, (h) => void (h.batchId = v))),
    notId.map((v) => m(`deviceId ${show(v)}`, (h) => void (h.deviceId = v))),
    fc.constantFrom('batchId', 'deviceId', 'updates', 'commands', 'pull').map((k) => m(`no ${k}`, (h) => void delete h[k])),
    notArray.map((v) => m(`updates ${show(v)}`, (h) => void (h.updates = v))),
    fc.tuple(notCaseId, fc.nat(3)).map(([v, at]) => m(`update case id ${show(v)}`, (h) => void (h.updates as unknown[]).splice(at, 0, v))),
    fc.constant(m('one case id listed twice', (h) => {
      const id = freshCaseId()
      h.updates = [id, ...(h.updates as unknown[]), id]
    })),
    notArray.map((v) => m(`commands ${show(v)}`, (h) => void (h.commands = v))),
    fc.tuple(badCommand, fc.nat(2)).map(([c, at]) => m(`command ${show(c)}`, (h) => void (h.commands as unknown[]).splice(at, 0, c))),
    fc.jsonValue().map((v) => m(`pull ${show(v)}`, (h) => void (h.pull = v))),
    badCursor.map((v) => m(`pull.cursor ${show(v)}`, (h) => void (h.pull = { cursor: v, limit: 100 }))),
    badLimit.map((v) => m(`pull.limit ${show(v)}`, (h) => void (h.pull = { cursor: 0, limit: v }))),
  )
  const mutated = fc
    .tuple(validFrameArb(w), mutation, tokenOf(w))
    .map(([{ header, blobs }, mut, { user, token }]) => {
      const h = structuredClone(header) as unknown as Record<string, unknown>
      mut.apply(h)
      const text = JSON.stringify(h)
      return { text, blobs, what: `(${user}) header with ${mut.what}`, token }
    })
    .filter(({ text }) => requestHeaderProblem(JSON.parse(text)) !== null)
  const share = Math.floor(n / 8)
  const probes = gen(mutated, n - 3 * share - 15).map(({ text, blobs, what, token }) => syncProbe('bad-header', what, token, frame(1, text, blobs), error(400, 'bad_request')))

  // A header that is no JSON at all, or JSON that is no header.
  for (const text of gen(fc.string({ maxLength: 200 }).filter((s) => !isParseable(s)), share))
    probes.push(syncProbe('bad-header', `header text ${show(text)}`, w.tokens.agent, frame(1, text), error(400, 'bad_request')))
  for (const v of gen(fc.jsonValue().filter((v) => requestHeaderProblem(v) !== null), share))
    probes.push(syncProbe('bad-header', `header ${show(v)}`, w.tokens.township, frame(1, JSON.stringify(v)), error(400, 'bad_request')))
  // Fewer or more update blobs than the header lists, or bytes after the last one.
  for (const [{ header, blobs }, how, extra] of gen(fc.tuple(validFrameArb(w), fc.constantFrom('fewer', 'more', 'tail', 'length'), fc.uint8Array({ minLength: 1, maxLength: 64 })), share)) {
    let body: Uint8Array
    let what: string
    if (how === 'fewer' && blobs.length) {
      body = frame(1, JSON.stringify(header), blobs.slice(1))
      what = `${blobs.length} update blobs listed, ${blobs.length - 1} sent`
    } else if (how === 'length') {
      // one more update listed, whose length claims one byte more than follows
      body = Buffer.concat([frame(1, JSON.stringify({ ...header, updates: [...header.updates, freshCaseId()] }), blobs), encodeVarUint(extra.length + 1), extra])
      what = `last update blob claiming ${extra.length + 1} bytes, ${extra.length} sent`
    } else if (how === 'more') {
      body = frame(1, JSON.stringify(header), [...blobs, extra])
      what = `${blobs.length} update blobs listed, ${blobs.length + 1} sent`
    } else {
      body = frame(1, JSON.stringify(header), blobs, extra)
      what = `${extra.length} bytes after the last of ${blobs.length} update blobs`
    }
    probes.push(syncProbe('bad-header', what, w.tokens.agent, new Uint8Array(body), error(400, 'bad_request')))
  }
  // Past the limits, which random generation does not reach: 2001 updates or commands, deep
  // nesting, huge strings, broken text.
  for (const what of ['updates', 'commands'] as const)
    for (let i = 0; i < 3; i++) {
      const h = syncHeader() as unknown as Record<string, unknown>
      h[what] = Array.from({ length: 2001 }, () => (what === 'updates' ? freshCaseId() : { id: uid('cmd-'), caseId: freshCaseId(), command: { type: 'submit' } }))
      probes.push(syncProbe('bad-header', `2001 ${what}`, w.tokens.agent, frame(1, JSON.stringify(h)), error(400, 'bad_request')))
    }
  for (const depth of [1_000, 100_000, 1_000_000]) {
    const text = `{"batchId":${'['.repeat(depth)}${']'.repeat(depth)},"deviceId":"fuzz-device-0001","updates":[],"commands":[],"pull":null}`
    probes.push(syncProbe('bad-header', `batchId nested ${depth} arrays deep`, w.tokens.agent, frame(1, text), error(400, 'bad_request')))
  }
  for (const len of [70_000, 1_000_000, 3_000_000, 7_000_000]) {
    const h = { ...syncHeader(), deviceId: 'd'.repeat(len) }
    // Past the body limit the size alone refuses it.
    const expected = len > MAX_SYNC_BODY ? error(413, 'too_large') : error(400, 'bad_request')
    probes.push(syncProbe('bad-header', `deviceId of ${len} characters`, w.tokens.agent, frame(1, JSON.stringify(h)), expected))
  }
  probes.push(syncProbe('bad-header', 'header with a lone surrogate', w.tokens.agent, frame(1, '{"batchId":"\ud800"}'), error(400, 'bad_request')))
  probes.push(syncProbe('bad-header', 'header with invalid UTF-8', w.tokens.agent, Buffer.concat([Uint8Array.of(1, 4), Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)]), error(400, 'bad_request')))
  probes.push(syncProbe('bad-header', 'header length past the end', w.tokens.agent, Buffer.concat([Uint8Array.of(1), encodeVarUint(2 ** 40), Buffer.from('{}')]), error(400, 'bad_request')))
  return probes
}

function encodeVarUint(n: number): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, n)
  return encoding.toUint8Array(enc)
}

function unknownVersions(w: World, n: number): Probe[] {
  const version = fc.oneof(fc.constant(0), fc.integer({ min: 2, max: 2 ** 31 }), fc.constantFrom(2, 3, 127, 128, 255, 256, 65_535, 2 ** 32, 2 ** 48))
  return gen(fc.tuple(version, validFrameArb(w), tokenOf(w)), n).map(([v, { header, blobs }, { user, token }]) =>
    syncProbe('version', `(${user}) protocol version ${v}`, token, frame(v, JSON.stringify(header), blobs), error(400, 'unsupported_version')),
  )
}

function authTypeEncoding(w: World, counts: Record<string, number>): Probe[] {
  const probes: Probe[] = []
  const family = 'auth/type/encoding'
  const frames = (k: number) => gen(validFrameArb(w), k).map(({ header, blobs }) => encodeSyncRequest({ header, updates: blobs }))
  const claims = (u: User) => ({ sub: w.ids[u], role: u.replace(/2$/, '') as Role, scope: '340826106001' as DivisionCode })

  for (const body of frames(counts.noToken!)) probes.push(syncProbe(family, 'no authorization header', null, body, error(401, 'unauthenticated')))
  for (const [t, body] of gen(fc.tuple(printable({ maxLength: 300 }), validFrameArb(w)), counts.garbageToken!))
    probes.push(syncProbe(family, `bearer token ${show(t)}`, t, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(401, 'unauthenticated')))
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
  for (const [{ user, token }, at, c, body] of gen(fc.tuple(tokenOf(w), fraction, fc.constantFrom(...alphabet), validFrameArb(w)), counts.tampered!)) {
    const i = Math.floor(at * token.length)
    const ch = token[i] === c ? (c === 'A' ? 'B' : 'A') : c
    const forged = token.slice(0, i) + ch + token.slice(i + 1)
    probes.push(syncProbe(family, `${user}'s token with character ${i} changed to ${ch}`, forged, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(401, 'unauthenticated')))
  }
  for (const [u, secret, body] of gen(fc.tuple(fc.constantFrom(...USERS), printable({ minLength: 1, maxLength: 40 }), validFrameArb(w)), counts.otherSecret!)) {
    const { token } = issueToken(secret, claims(u), 3600)
    probes.push(syncProbe(family, `${u}'s claims signed with secret ${show(secret)}`, token, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(401, 'unauthenticated')))
  }
  for (const [u, ago, body] of gen(fc.tuple(fc.constantFrom(...USERS), fc.integer({ min: 3601, max: 10 * 365 * 86400 }), validFrameArb(w)), counts.expired!)) {
    const { token } = issueToken(w.srv.ctx.secret, claims(u), 3600, Date.now() - ago * 1000)
    probes.push(syncProbe(family, `${u}'s token issued ${ago} s ago, valid 3600 s`, token, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(401, 'token_expired')))
  }
  const badClaims = fc.oneof(
    fc.jsonValue().filter((r) => typeof r !== 'string' || !['agent', 'township', 'county', 'admin'].includes(r)).map((role) => ({ sub: w.ids.agent, role, scope: '340826106001' })),
    fc.jsonValue().filter((s) => typeof s !== 'string').map((sub) => ({ sub, role: 'agent', scope: '340826106001' })),
  )
  for (const [c, body] of gen(fc.tuple(badClaims, validFrameArb(w)), counts.badClaims!)) {
    const { token } = issueToken(w.srv.ctx.secret, c as never, 3600)
    probes.push(syncProbe(family, `correctly signed token with claims ${show(c)}`, token, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(401, 'unauthenticated')))
  }
  const schemes = fc.oneof(
    printable({ maxLength: 60 }).map((t) => `Basic ${Buffer.from(`agent:${t}`).toString('base64')}`),
    fc.constantFrom('Bearer', 'Bearer ', 'Token abc', 'Bearer\t', 'Digest username="agent"', 'bearer', 'Negotiate YIIB'),
    printable({ maxLength: 60 }).map((t) => `Bearer${t}`),
  )
  for (const [a, body] of gen(fc.tuple(schemes, validFrameArb(w)), counts.schemes!))
    probes.push(syncProbe(family, `authorization ${show(a)}`, null, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(401, 'unauthenticated'), { authorization: a }))

  const contentTypes = fc
    .oneof(
      fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/x-daiban', 'application/x-www-form-urlencoded', 'application/x-daiban-syn', 'x-daiban-sync', ' ', 'application/yjs'),
      printable({ maxLength: 60 }),
    )
    .filter((t) => t.trim() !== '' && !t.trim().toLowerCase().startsWith(SYNC_CONTENT_TYPE))
  for (const [t, { user, token }, body] of gen(fc.tuple(contentTypes, tokenOf(w), validFrameArb(w)), counts.contentType!))
    probes.push(syncProbe(family, `(${user}) content-type ${show(t)}`, token, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(400, 'bad_request'), { 'content-type': t }))
  for (const body of frames(counts.noContentType!))
    probes.push(syncProbe(family, 'no content-type', w.tokens.agent, body, error(400, 'bad_request'), { 'content-type': undefined }))

  const encodings = fc
    .oneof(fc.constantFrom('br', 'deflate', 'compress', 'x-gzip', 'gzip, identity', 'identity, gzip', 'zstd', '*', 'gzip;q=1', 'chunked'), printable({ minLength: 1, maxLength: 30 }))
    .filter((e) => !['gzip', 'identity', ''].includes(e.trim().toLowerCase()))
  for (const [e, { user, token }, body] of gen(fc.tuple(encodings, tokenOf(w), validFrameArb(w)), counts.encoding!))
    probes.push(syncProbe(family, `(${user}) content-encoding ${show(e)}`, token, encodeSyncRequest({ header: body.header, updates: body.blobs }), error(400, 'bad_request'), { 'content-encoding': e }))
  for (const [how, random, at, body] of gen(fc.tuple(fc.constantFrom('plain', 'random', 'truncated'), fc.uint8Array({ maxLength: 500 }), fraction, validFrameArb(w)), counts.notGzip!)) {
    const bytes = encodeSyncRequest({ header: body.header, updates: body.blobs })
    const zipped = gzipSync(bytes)
    const sent = how === 'plain' ? bytes : how === 'random' ? random : zipped.subarray(0, Math.floor(at * zipped.length))
    probes.push(syncProbe(family, `content-encoding gzip on ${how} bytes (${sent.length})`, w.tokens.agent, new Uint8Array(sent), error(400, 'bad_request'), { 'content-encoding': 'gzip' }))
  }
  for (const [random, lead] of gen(fc.tuple(fc.uint8Array({ maxLength: 500 }), fc.boolean()), counts.gzippedGarbage!)) {
    const inner = lead ? Buffer.concat([Uint8Array.of(1), random]) : random
    probes.push(syncProbe(family, `gzip of ${inner.length} bytes of garbage`, w.tokens.county, new Uint8Array(gzipSync(inner)), error(400, ['bad_request', 'unsupported_version']), { 'content-encoding': 'gzip' }))
  }
  for (const [method, { user, token }] of gen(fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'), tokenOf(w)), counts.method!))
    probes.push({ family, what: `(${user}) wrong method`, method, path: '/api/sync', headers: { authorization: `Bearer ${token}` }, expect: error(405, 'method_not_allowed') })
  return probes
}

/** Bodies over the limits: raw, streamed without a length, and a gzip bomb. */
function oversized(w: World): Probe[] {
  const family = 'oversized'
  const big = new Uint8Array(MAX_SYNC_BODY + 1)
  big[0] = 1
  const exactly = new Uint8Array(MAX_SYNC_BODY)
  exactly[0] = 1
  exactly[1] = 0x7f // a header of 127 zero bytes: not JSON
  const bomb = new Uint8Array(gzipSync(Buffer.alloc(MAX_SYNC_INFLATED + 1)))
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        const chunk = new Uint8Array(1 << 20)
        for (let i = 0; i <= MAX_SYNC_BODY >> 20; i++) c.enqueue(chunk)
        c.close()
      },
    })
  return [
    syncProbe(family, `${big.length} bytes with content-length`, w.tokens.agent, big, error(413, 'too_large')),
    syncProbe(family, `${big.length} bytes with content-length (township)`, w.tokens.township, big, error(413, 'too_large')),
    syncProbe(family, `${MAX_SYNC_BODY + (1 << 20)} bytes streamed without content-length`, w.tokens.agent, stream, error(413, 'too_large')),
    syncProbe(family, `${MAX_SYNC_BODY + (1 << 20)} bytes streamed without content-length (admin)`, w.tokens.admin, stream, error(413, 'too_large')),
    syncProbe(family, `${bomb.length}-byte gzip inflating to ${MAX_SYNC_INFLATED + 1} bytes`, w.tokens.agent, bomb, error(413, 'too_large'), { 'content-encoding': 'gzip' }),
    syncProbe(family, `${bomb.length}-byte gzip inflating to ${MAX_SYNC_INFLATED + 1} bytes (GZIP)`, w.tokens.county, bomb, error(413, 'too_large'), { 'content-encoding': 'GZIP' }),
    syncProbe(family, `${bomb.length}-byte gzip bomb without a token`, null, bomb, error(401, 'unauthenticated'), { 'content-encoding': 'gzip' }),
    syncProbe(family, `exactly ${MAX_SYNC_BODY} bytes, not a frame`, w.tokens.agent, exactly, error(400, 'bad_request')),
  ]
}

// ---------------------------------------------------------------------------------------------
// Well-formed frames whose updates must all be refused (200 + refusals, nothing stored)

function pushProbe(family: string, what: string, token: string, updates: { caseId: CaseId; data: Uint8Array; code: string | null }[], commands: { pc: PushCommand; code: string }[] = []): Probe {
  const header = syncHeader({ updates: updates.map((u) => u.caseId), commands: commands.map((c) => c.pc), pull: null })
  const body = encodeSyncRequest({ header, updates: updates.map((u) => u.data) })
  return syncProbe(family, what, token, body, { kind: 'rejected', updates: updates.map((u) => u.code), commands: commands.map((c) => c.code) })
}

function badYjs(w: World, n: number): Probe[] {
  type Entry = { kind: 'garbage'; bytes: Uint8Array } | { kind: 'truncated'; source: number; at: number; seeded: boolean } | { kind: 'flipped'; source: number; flips: [number, number][] }
  const entry: fc.Arbitrary<Entry> = fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((bytes): Entry => ({ kind: 'garbage', bytes })),
    fc.tuple(fc.nat(), fraction, fc.boolean()).map(([source, at, seeded]): Entry => ({ kind: 'truncated', source, at, seeded })),
    fc.tuple(fc.nat(), fc.array(fc.tuple(fraction, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })).map(([source, flips]): Entry => ({ kind: 'flipped', source, flips })),
  )
  const actors = ['agent', 'agent', 'agent', 'township', 'admin'] as const
  const sources = [w.full, ...w.updates]
  return gen(fc.tuple(fc.constantFrom(...actors), fc.array(entry, { minLength: 1, maxLength: 4 })), n).map(([actor, entries]) => {
    let seededUsed = false
    const updates = entries.map((e) => {
      if (e.kind === 'garbage') return { caseId: freshCaseId(), data: e.bytes, code: actor === 'agent' ? null : 'unknown_case', what: `${e.bytes.length} random bytes` }
      const src = sources[e.source % sources.length]!
      if (e.kind === 'flipped') {
        const data = src.slice()
        for (const [at, x] of e.flips) {
          const i = Math.floor(at * data.length)
          data[i] = data[i]! ^ x
        }
        return { caseId: freshCaseId(), data, code: actor === 'agent' ? null : 'unknown_case', what: `${src.length}-byte real update with ${e.flips.length} bytes flipped for a new case` }
      }
      const data = src.slice(0, Math.floor(e.at * src.length))
      const seeded = e.seeded && !seededUsed
      if (seeded) seededUsed = true
      // Any strict prefix of a Yjs update ends too early, so it always fails to decode.
      const code = seeded || actor === 'agent' ? 'malformed_update' : 'unknown_case'
      return { caseId: seeded ? w.caseId : freshCaseId(), data, code, what: `${src.length}-byte real update cut to ${data.length} bytes for ${seeded ? 'the seeded' : 'a new'} case` }
    })
    return pushProbe('bad-yjs', `(${actor}) ${updates.map((u) => u.what).join('; ')}`, w.tokens[actor], updates)
  })
}

function forged(w: World, perVariant: number): Probe[] {
  const family = 'forged'
  const probes: Probe[] = []
  const edit = (change: (doc: Y.Doc) => void): Uint8Array => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, w.full)
    const sv = Y.encodeStateVector(doc)
    change(doc)
    return Y.encodeStateAsUpdate(doc, sv)
  }
  const meta = (over: Partial<CaseMeta> = {}): CaseMeta => {
    const id = freshCaseId()
    return {
      id,
      number: newCaseNumber({ villageCode: '340826106001' as VillageCode, date: '2026-02-12', deviceNumber: 998, sequence: 1 + (serial % 9999) }),
      item: w.item.code,
      itemVersion: w.item.version,
      village: '340826106001' as VillageCode,
      createdBy: w.ids.agent,
      createdAt: new Date().toISOString(),
      device: 'fuzz-device-0001',
      ...over,
    }
  }
  /** A new case's first update, under its own id (or, to forge that too, under `caseId`). */
  const create = (m: CaseMeta, code: string, more?: (doc: Y.Doc) => void, caseId: CaseId = m.id) => {
    const doc = new Y.Doc()
    initCaseDoc(doc, m)
    more?.(doc)
    return { caseId, data: Y.encodeStateAsUpdate(doc), code }
  }
  const fieldKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/)
  const text = fc.string({ minLength: 1, maxLength: 40 })
  const note = (by: UserId, role: Role, t: string) => {
    const id = uid('note-')
    return { id, by, role, at: new Date().toISOString(), text: t }
  }
  const each = <T>(arb: fc.Arbitrary<T>, f: (v: T) => Probe) => {
    for (const v of gen(arb, perVariant)) probes.push(f(v))
  }
  const onSeeded = (actor: User, what: string, data: Uint8Array, code: string) => pushProbe(family, `(${actor}) ${what}`, w.tokens[actor], [{ caseId: w.caseId, data, code }])

  // Scope: a case of another village, or not yet visible at that level.
  for (const actor of ['agent2', 'township2', 'county'] as const) {
    each(fc.tuple(fieldKey, text), ([k, v]) => onSeeded(actor, `sets form.${k} of another village's case`, edit((d) => d.getMap('form').set(k, v)), 'out_of_scope'))
  }
  each(text, (t) => onSeeded('agent2', `adds its own note to another village's case`, edit((d) => d.getMap('notes').set(uid('n-') + 'x', note(w.ids.agent2, 'agent', t))), 'out_of_scope'))
  each(text, (t) =>
    pushProbe(family, '(agent) creates a case in another village', w.tokens.agent, [
      create(meta({ village: OTHER_VILLAGE, number: newCaseNumber({ villageCode: OTHER_VILLAGE, date: '2026-02-12', deviceNumber: 1, sequence: 1 + (serial % 9999) }) }), 'out_of_scope', (d) => d.getMap('form').set('applicant_name', t)),
    ]),
  )
  for (const actor of ['township', 'county', 'admin'] as const)
    each(text, (t) => pushProbe(family, `(${actor}) creates a case`, w.tokens[actor], [create(meta(), 'unknown_case', (d) => d.getMap('form').set('applicant_name', t))]))
  // Rights: in scope, but not allowed to write that.
  for (const actor of ['township', 'admin', 'agent'] as const)
    each(fc.tuple(fieldKey, text), ([k, v]) => onSeeded(actor, `sets form.${k} of a submitted case`, edit((d) => d.getMap('form').set(k, v)), 'forbidden_root'))
  each(fc.jsonValue(), (v) => onSeeded('agent', 'writes workflow.state', edit((d) => d.getMap('workflow').set('state', v)), 'forbidden_root'))
  each(fc.constantFrom(...['id', 'number', 'village', 'createdBy', 'item']), (k) => onSeeded('agent', `rewrites meta.${k}`, edit((d) => d.getMap('meta').set(k, OTHER_VILLAGE)), 'forbidden_root'))
  const addNote = (n: ReturnType<typeof note>) => edit((d) => d.getMap('notes').set(n.id, n))
  each(text, (t) => onSeeded('agent', 'adds a note signed by agent2', addNote(note(w.ids.agent2, 'agent', t)), 'invalid_note'))
  each(text, (t) => onSeeded('township', 'adds a note claiming the role county', addNote(note(w.ids.township, 'county', t)), 'invalid_note'))
  each(fc.string({ minLength: 2001, maxLength: 2010 }), (t) => onSeeded('township', `adds a note of ${t.length} characters`, addNote(note(w.ids.township, 'township', t)), 'invalid_note'))
  each(fc.tuple(text, fieldKey), ([t, k]) =>
    onSeeded('agent', `smuggles form.${k} along with a valid note`, edit((d) => {
      const n = note(w.ids.agent, 'agent', t)
      d.getMap('notes').set(n.id, n)
      d.getMap('form').set(k, t)
    }), 'forbidden_root'),
  )
  each(text, (t) => onSeeded('agent', 'adds a nested shared type to notes', edit((d) => {
    const nested = new Y.Map<unknown>()
    d.getMap('notes').set(uid('note-'), nested)
    nested.set('text', t)
  }), 'forbidden_root'))
  each(text, (t) => onSeeded('agent', 'writes a root outside the case roots', edit((d) => d.getArray('evil').push([t])), 'forbidden_root'))
  // A new case with forged metadata.
  each(fc.constantFrom('agent2', 'township', 'admin'), (u) => pushProbe(family, `(agent) creates a case created by ${u}`, w.tokens.agent, [create(meta({ createdBy: w.ids[u as User] }), 'invalid_meta')]))
  each(fc.constant(0), () => pushProbe(family, '(agent) creates a case whose meta.id is another id', w.tokens.agent, [create(meta(), 'invalid_meta', undefined, freshCaseId())]))
  each(fc.stringMatching(/^[A-Z]{2}[0-9]{4}$/), (code) =>
    pushProbe(family, `(agent) creates a case of unknown item ${code}`, w.tokens.agent, [create(meta({ item: code as ItemCode }), 'unknown_item')]),
  )
  each(fc.constant(0), () =>
    pushProbe(family, '(agent) creates a case with the seeded case number', w.tokens.agent, [create(meta({ number: w.caseNumber }), 'invalid_meta')]),
  )
  each(fc.constant(0), () =>
    pushProbe(family, '(agent) creates two cases with the seeded case number', w.tokens.agent, [create(meta({ number: w.caseNumber }), 'invalid_meta'), create(meta({ number: w.caseNumber }), 'invalid_meta')]),
  )
  // Commands on a case outside the sender's scope.
  const command = fc.constantFrom(
    { type: 'withdraw', reason: 'fuzz', at: new Date().toISOString() },
    { type: 'accept', at: new Date().toISOString() },
    { type: 'refuse', reason: 'fuzz', appeal: 'court', at: new Date().toISOString() },
    { type: 'return', corrections: [{ label: 'x', reason: 'y' }], at: new Date().toISOString() },
  )
  for (const actor of ['agent2', 'township2', 'county'] as const)
    each(command, (c) => pushProbe(family, `(${actor}) ${c.type} on another scope's case`, w.tokens[actor], [], [{ pc: { id: uid('cmd-'), caseId: w.caseId, command: c as never }, code: 'unknown_case' }]))
  return probes
}

// ---------------------------------------------------------------------------------------------
// JSON endpoints

/** `contentType` null: none at all (the body is then sent as bytes, so fetch adds no text/plain). */
function jsonProbe(family: string, what: string, method: string, path: string, token: string | null, body: string, expect: Expectation, contentType: string | null = 'application/json'): Probe {
  return {
    family,
    what,
    method,
    path,
    headers: { 'content-type': contentType ?? undefined, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: contentType === null ? new Uint8Array(Buffer.from(body)) : body,
    expect,
  }
}

function badJson(w: World, c: Record<string, number>): { fast: Probe[]; slow: Probe[] } {
  const family = 'json'
  const probes: Probe[] = []
  const notJson = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"username":', "{'a':1}", 'NaN', 'undefined', '[1,]', '\u0000', '')).filter((s) => !isParseable(s))
  const wrongTypes = fc
    .oneof(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'text/json', 'application/octet-stream'), printable({ minLength: 1, maxLength: 40 }))
    .filter((t) => !/^application\/json\b/i.test(t.trim()))

  // POST /api/login
  for (const v of gen(fc.jsonValue(), c.loginJson!)) probes.push(jsonProbe(family, `login ${show(v)}`, 'POST', '/api/login', null, JSON.stringify(v), anyError))
  const notCredential = (min: number, max: number) =>
    fc.oneof(fc.jsonValue(), fc.constant(''), fc.string({ minLength: max + 1, maxLength: max + 20 })).filter((v) => typeof v !== 'string' || v.length < min || v.length > max)
  const credentials = fc
    .record({ username: fc.oneof(fc.constantFrom(...USERS), notCredential(1, 64)), password: fc.oneof(fc.constant('demo'), notCredential(1, 256)) }, { requiredKeys: [] })
    .filter((r) => !(typeof r.username === 'string' && r.username.length >= 1 && r.username.length <= 64 && typeof r.password === 'string' && r.password.length >= 1 && r.password.length <= 256))
  for (const v of gen(credentials, c.loginFields!)) probes.push(jsonProbe(family, `login ${show(v)}`, 'POST', '/api/login', null, JSON.stringify(v), error(400, 'bad_request')))
  for (const s of gen(notJson, c.loginText!)) probes.push(jsonProbe(family, `login text ${show(s)}`, 'POST', '/api/login', null, s, error(400, 'bad_request')))
  for (const t of gen(wrongTypes, c.loginType!))
    probes.push(jsonProbe(family, `login as ${show(t)}`, 'POST', '/api/login', null, JSON.stringify({ username: 'agent', password: 'demo' }), error(400, 'bad_request'), t))
  probes.push(jsonProbe(family, 'login without content-type', 'POST', '/api/login', null, '{"username":"agent","password":"demo"}', error(400, 'bad_request'), null))
  for (const size of [65 * 1024, 1024 * 1024])
    probes.push(jsonProbe(family, `login of ${size} bytes`, 'POST', '/api/login', null, JSON.stringify({ username: 'agent', password: 'x'.repeat(size) }), error(413, 'too_large')))

  // POST /api/devices
  for (const v of gen(fc.jsonValue(), c.devicesJson!)) probes.push(jsonProbe(family, `device ${show(v)}`, 'POST', '/api/devices', w.tokens.agent, JSON.stringify(v), error(400, 'bad_request')))
  const deviceBody = fc
    .record(
      {
        deviceId: fc.oneof(fc.stringMatching(/^[0-9a-zA-Z_-]{8,64}$/), fc.jsonValue(), fc.string({ maxLength: 70 })),
        publicKey: fc.oneof(fc.string({ minLength: 20, maxLength: 100 }), fc.jsonValue(), fc.string({ maxLength: 19 }), fc.string({ minLength: 2001, maxLength: 2050 })),
        label: fc.oneof(fc.string({ maxLength: 100 }), fc.string({ minLength: 101, maxLength: 120 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .filter((b) => deviceBodyProblem(JSON.parse(JSON.stringify(b))) !== null)
  for (const v of gen(deviceBody, c.devicesFields!)) probes.push(jsonProbe(family, `device ${show(v)}`, 'POST', '/api/devices', w.tokens.agent2, JSON.stringify(v), error(400, 'bad_request')))
  for (const s of gen(notJson, c.devicesText!)) probes.push(jsonProbe(family, `device text ${show(s)}`, 'POST', '/api/devices', w.tokens.agent, s, error(400, 'bad_request')))
  for (const t of gen(wrongTypes, c.devicesType!))
    probes.push(jsonProbe(family, `device as ${show(t)}`, 'POST', '/api/devices', w.tokens.agent, JSON.stringify({ deviceId: uid('device-'), publicKey: 'k'.repeat(40) }), error(400, 'bad_request'), t))
  // Every role enrols its own devices; only an administrator revokes one.
  for (const u of gen(fc.constantFrom('agent', 'agent2', 'township', 'township2', 'county'), c.devicesRole!))
    probes.push(jsonProbe(family, `device revoked by ${u}`, 'POST', `/api/devices/${w.agentDeviceId}/revoke`, w.tokens[u as User], '{}', error(403, 'forbidden')))
  for (const [u, key] of gen(fc.tuple(fc.constantFrom('agent', 'agent2'), fc.string({ minLength: 20, maxLength: 60 })), c.devicesConflict!))
    probes.push(jsonProbe(family, `(${u}) re-enrols agent's device with key ${show(key)}`, 'POST', '/api/devices', w.tokens[u as User], JSON.stringify({ deviceId: w.agentDeviceId, publicKey: key }), error(409, 'conflict')))
  for (const t of gen(fc.option(printable({ maxLength: 80 }), { nil: null }), c.devicesAuth!))
    probes.push(jsonProbe(family, `device with token ${show(t)}`, 'POST', '/api/devices', t, JSON.stringify({ deviceId: uid('device-'), publicKey: 'k'.repeat(40) }), error(401)))

  // PUT /api/catalogue
  const invalidCatalogue = (v: unknown) => validateCatalogue(JSON.parse(JSON.stringify(v))).length > 0
  for (const v of gen(fc.jsonValue().filter(invalidCatalogue), c.catalogueJson!))
    probes.push(jsonProbe(family, `catalogue ${show(v)}`, 'PUT', '/api/catalogue', w.tokens.admin, JSON.stringify(v), error([400, 422])))
  const itemCount = demoCatalogue.items.length
  const mutatedCatalogue = fc
    .tuple(fc.nat(itemCount - 1), fc.oneof(fc.constantFrom(...Object.keys(demoCatalogue.items[0]!)), fc.string({ maxLength: 10 })), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([i, key, value]) => {
      const cat = structuredClone(demoCatalogue) as unknown as { items: Record<string, unknown>[] }
      if (value === undefined) delete cat.items[i]![key]
      else cat.items[i]![key] = value
      return { cat, what: `items[${i}].${key} ${value === undefined ? 'removed' : `= ${show(value)}`}` }
    })
    .filter(({ cat }) => invalidCatalogue(cat))
  for (const { cat, what } of gen(mutatedCatalogue, c.catalogueMutated!))
    probes.push(jsonProbe(family, `catalogue with ${what}`, 'PUT', '/api/catalogue', w.tokens.admin, JSON.stringify(cat), error(422, 'validation')))
  for (const s of gen(notJson, c.catalogueText!)) probes.push(jsonProbe(family, `catalogue text ${show(s)}`, 'PUT', '/api/catalogue', w.tokens.admin, s, error(400, 'bad_request')))
  for (const u of gen(fc.constantFrom('agent', 'agent2', 'township', 'county'), c.catalogueRole!))
    probes.push(jsonProbe(family, `catalogue loaded by ${u}`, 'PUT', '/api/catalogue', w.tokens[u as User], JSON.stringify(demoCatalogue), error(403, 'forbidden')))
  probes.push(jsonProbe(family, 'catalogue as text/plain', 'PUT', '/api/catalogue', w.tokens.admin, JSON.stringify(demoCatalogue), error(400, 'bad_request'), 'text/plain'))
  probes.push(jsonProbe(family, 'catalogue over 4 MiB', 'PUT', '/api/catalogue', w.tokens.admin, JSON.stringify({ items: [], pad: 'x'.repeat(4 * 1024 * 1024) }), error(413, 'too_large')))

  // PUT /api/calendar/2027
  const base = { year: 2027, holidays: ['2027-01-01', '2027-10-01', '2027-10-04'], workdays: ['2027-01-02', '2027-10-09'], source: 'fuzz' }
  expect(validateArrangement(base)).toEqual([])
  const invalidFor2027 = (v: unknown) => {
    const parsed = JSON.parse(JSON.stringify(v)) as { year?: unknown }
    return validateArrangement(parsed).length > 0 || String(parsed.year) !== '2027'
  }
  for (const v of gen(fc.jsonValue().filter(invalidFor2027), c.calendarJson!))
    probes.push(jsonProbe(family, `calendar ${show(v)}`, 'PUT', '/api/calendar/2027', w.tokens.admin, JSON.stringify(v), error([400, 422])))
  const mutatedArrangement = fc
    .tuple(fc.constantFrom('year', 'holidays', 'workdays', 'source', 'push-holiday', 'push-workday', 'duplicate'), fc.jsonValue(), fc.string({ maxLength: 12 }))
    .map(([how, value, day]) => {
      const a = structuredClone(base) as Record<string, unknown>
      if (how === 'push-holiday') (a.holidays as unknown[]).push(day)
      else if (how === 'push-workday') (a.workdays as unknown[]).push(value)
      else if (how === 'duplicate') (a.workdays as unknown[]).push('2027-01-01')
      else a[how] = value
      return { a, what: how === 'duplicate' ? 'a day listed twice' : `${how} ${show(how === 'push-holiday' ? day : value)}` }
    })
    .filter(({ a }) => invalidFor2027(a))
  for (const { a, what } of gen(mutatedArrangement, c.calendarMutated!))
    probes.push(jsonProbe(family, `calendar with ${what}`, 'PUT', '/api/calendar/2027', w.tokens.admin, JSON.stringify(a), error(422, 'validation')))
  for (const year of gen(fc.oneof(fc.integer({ min: 2000, max: 2200 }), fc.constantFrom(1999, 2201, 0, -2027)).filter((y) => y !== 2027), c.calendarYear!)) {
    const a = { ...base, year, holidays: [], workdays: [] }
    probes.push(jsonProbe(family, `calendar for ${year} on the path for 2027`, 'PUT', '/api/calendar/2027', w.tokens.admin, JSON.stringify(a), error(422, 'validation')))
  }
  for (const seg of gen(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s !== '2027' && s !== '.' && s !== '..'), c.calendarPath!))
    probes.push(jsonProbe(family, `calendar path ${show(seg)}`, 'PUT', `/api/calendar/${encodeURIComponent(seg)}`, w.tokens.admin, JSON.stringify(base), anyError))
  for (const s of gen(notJson, c.calendarText!)) probes.push(jsonProbe(family, `calendar text ${show(s)}`, 'PUT', '/api/calendar/2027', w.tokens.admin, s, error(400, 'bad_request')))
  for (const u of gen(fc.constantFrom('agent', 'township', 'county'), c.calendarRole!))
    probes.push(jsonProbe(family, `calendar loaded by ${u}`, 'PUT', '/api/calendar/2027', w.tokens[u as User], JSON.stringify(base), error(403, 'forbidden')))
  probes.push(jsonProbe(family, 'calendar without a token', 'PUT', '/api/calendar/2027', null, JSON.stringify(base), error(401, 'unauthenticated')))

  // Unknown API paths and methods.
  const known = new Set(['health', 'login', 'me', 'org', 'catalogue', 'calendar', 'devices', 'sync', 'metrics', 'blobs', 'cases'])
  for (const [seg, method] of gen(fc.tuple(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !known.has(s) && s !== '.' && s !== '..'), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE')), c.unknownPath!))
    probes.push({ family, what: `unknown path ${show(seg)}`, method, path: `/api/${encodeURIComponent(seg)}`, headers: { authorization: `Bearer ${w.tokens.admin}` }, expect: error([404, 405]) })

  // Well-typed but wrong credentials cost a password hash each: few, and sent two at a time. Past
  // the throttle's free attempts they are answered 429 without hashing.
  const slow = gen(fc.tuple(fc.constantFrom(...USERS, 'nobody', 'root'), fc.string({ minLength: 1, maxLength: 30 }).filter((p) => p !== 'demo')), c.loginWrong!).map(([username, password]) =>
    jsonProbe(family, `login ${username} with password ${show(password)}`, 'POST', '/api/login', null, JSON.stringify({ username, password }), error([401, 429], ['unauthenticated', 'too_many_attempts'])),
  )
  return { fast: probes, slow }
}


// ---------------------------------------------------------------------------------------------
// Schema-driven: every operation of the OpenAPI document with a JSON body, a query or path
// parameters, so an endpoint added later is covered without a line here. For each: wrong types,
// missing required fields, unknown fields, strings past their maxLength (+1 … ×1000), wrong
// content types, malformed JSON and bodies of the wrong shape. A candidate is kept only if the
// document's own schema refuses it (checked with Ajv here), so no valid request slips in.

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  maxLength?: number
  minLength?: number
  pattern?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  items?: JsonSchema
  minimum?: number
  maximum?: number
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[]
  requestBody?: { content?: Record<string, { schema: JsonSchema }> }
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>
}

/** Who may call a path, so the request gets past sign-in and role to the schema check. */
function userFor(path: string, method: string): User {
  if (/^\/api\/(admin|metrics$)/.test(path) || /^\/api\/devices\/\{id\}\/revoke$/.test(path)) return 'admin'
  if (method !== 'get' && /^\/api\/(catalogue|calendar)/.test(path)) return 'admin'
  if (/^\/api\/(queue|batches|cases\/\{ref\}$|metrics\/service)/.test(path)) return 'township'
  return 'agent'
}

/** A value meant to pass a schema (good enough as the unchanged part of a probe). */
function sampleOf(s: JsonSchema, name = ''): unknown {
  if (s.const !== undefined) return s.const
  if (s.enum?.length) return s.enum[0]
  if (s.anyOf?.length) return sampleOf(s.anyOf[0]!, name)
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const k of s.required ?? []) out[k] = sampleOf(s.properties?.[k] ?? {}, k)
      return out
    }
    case 'array':
      return []
    case 'integer':
    case 'number':
      return s.minimum ?? 1
    case 'boolean':
      return false
    case 'null':
      return null
    case 'string': {
      const known: Record<string, string> = { year: '2027', hash: 'a'.repeat(64), id: 'sample-id-0001', code: 'sample_item', ref: 'sample-ref', scope: '340826106', role: 'agent' }
      if (known[name] && (!s.pattern || new RegExp(s.pattern).test(known[name]))) return known[name]
      return 'a'.repeat(Math.max(1, s.minLength ?? 1))
    }
    default:
      return null
  }
}

const WRONG_TYPES: unknown[] = [42, -1.5, true, null, [], [1, 'a'], {}, { a: 1 }, 'text', '']

function oversize(s: JsonSchema): string[] {
  if (s.maxLength === undefined) return []
  return [1, 10, 100, 1000].map((k) => 'x'.repeat(k === 1 ? s.maxLength! + 1 : s.maxLength! * k + 1))
}

function schemaDrivenProbes(w: World, doc: OpenApiDoc): Probe[] {
  const family = 'schema'
  const ajvBody = new Ajv({ strict: false, allErrors: false })
  const ajvText = new Ajv({ strict: false, allErrors: false, coerceTypes: 'array' })
  for (const a of [ajvBody, ajvText]) {
    addFormats(a)
    a.addFormat('binary', true)
  }
  const probes: Probe[] = []
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue
    for (const [method, op] of Object.entries(ops)) {
      if (method === 'head') continue // no body to carry a reason
      const params = op.parameters ?? []
      const bodySchema = op.requestBody?.content?.['application/json']?.schema
      const pathParams = params.filter((p) => p.in === 'path')
      const queryParams = params.filter((p) => p.in === 'query')
      if (!bodySchema && !pathParams.length && !queryParams.length) continue
      const user = userFor(path, method)
      const token = w.tokens[user]
      const pathValues = Object.fromEntries(pathParams.map((p) => [p.name, String(sampleOf(p.schema, p.name))]))
      const urlOf = (values: Record<string, string>, query: [string, string][] = []) => {
        const q = new URLSearchParams(query).toString()
        return path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(values[n] ?? 'x')) + (q ? `?${q}` : '')
      }
      const baseQuery: [string, string][] = queryParams.filter((p) => p.required).map((p) => [p.name, String(sampleOf(p.schema, p.name))])
      const base = bodySchema ? sampleOf(bodySchema) : undefined
      const M = method.toUpperCase()
      const push = (what: string, url: string, body: string | undefined, contentType: string | null = body === undefined ? null : 'application/json', expect: Expectation = error([400, 413])) =>
        probes.push({
          family,
          what: `${M} ${path} ${what}`,
          method: M,
          path: url,
          headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
          ...(body === undefined ? {} : { body: contentType === null ? new Uint8Array(Buffer.from(body)) : body }),
          expect,
        })
      const baseBody = base === undefined ? undefined : JSON.stringify(base)

      // Path parameters: wrong characters and oversize, one parameter at a time.
      for (const p of pathParams) {
        const isBad = (v: string) => !ajvText.validate(p.schema, v)
        // A path past the server's header size is refused by the HTTP parser (431), a parameter
        // past the router's bound with 414; both in the project's error shape.
        for (const v of [...oversize(p.schema), 'a b', 'ä', '<script>', "x'--", '%00', '-', '\u0000x'].filter(isBad))
          push(`path ${p.name} = ${show(v)}`, urlOf({ ...pathValues, [p.name]: v }, baseQuery), baseBody, undefined, error([400, 413, 414, 431]))
      }

      // Query: wrong types, oversize, unknown and repeated parameters.
      if (queryParams.length) {
        const querySchema: JsonSchema = {
          type: 'object',
          properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
          required: queryParams.filter((p) => p.required).map((p) => p.name),
          additionalProperties: false,
        }
        const refused = (q: [string, string][]) => {
          const obj: Record<string, string | string[]> = {}
          for (const [k, v] of q) obj[k] = k in obj ? [obj[k] as string, v].flat() : v
          return !ajvText.validate(querySchema, obj)
        }
        for (const p of queryParams) {
          for (const v of ['abc', '-1', '1.5', '99999999999', '', 'true', '[1]', ...oversize(p.schema)]) {
            const q: [string, string][] = [...baseQuery.filter(([k]) => k !== p.name), [p.name, v]]
            if (refused(q)) push(`query ${p.name} = ${show(v)}`, urlOf(pathValues, q), baseBody, undefined, error([400, 413, 414, 431]))
          }
          const twice: [string, string][] = [...baseQuery, [p.name, String(sampleOf(p.schema, p.name))], [p.name, 'zz']]
          if (refused(twice)) push(`query ${p.name} given twice`, urlOf(pathValues, twice), baseBody)
        }
        for (const p of queryParams.filter((x) => x.required)) {
          const q = baseQuery.filter(([k]) => k !== p.name)
          if (refused(q)) push(`query without ${p.name}`, urlOf(pathValues, q), baseBody)
        }
        for (const extra of ['zzExtra', '__proto__', 'constructor', 'x'.repeat(200)]) {
          const q: [string, string][] = [...baseQuery, [extra, '1']]
          if (refused(q)) push(`unknown query parameter ${show(extra)}`, urlOf(pathValues, q), baseBody)
        }
      }

      if (!bodySchema || base === undefined) continue
      const url = urlOf(pathValues, baseQuery)
      const refusedBody = (b: unknown) => !ajvBody.validate(bodySchema, b)
      const pushBody = (what: string, b: unknown) => {
        if (refusedBody(b)) push(what, url, JSON.stringify(b))
      }
      const props = bodySchema.properties ?? {}
      // Wrong types and oversize strings, one field at a time.
      for (const [k, s] of Object.entries(props)) {
        for (const v of WRONG_TYPES) pushBody(`body.${k} = ${show(v)}`, { ...(base as object), [k]: v })
        for (const v of oversize(s)) pushBody(`body.${k} of ${v.length} characters`, { ...(base as object), [k]: v })
      }
      // Missing required fields, unknown fields, the wrong shape altogether.
      for (const k of bodySchema.required ?? []) {
        const b = { ...(base as Record<string, unknown>) }
        delete b[k]
        pushBody(`without body.${k}`, b)
      }
      for (const extra of ['zzExtra', 'isAdmin', 'role', 'constructor']) if (!(extra in props)) pushBody(`unknown field ${extra}`, { ...(base as object), [extra]: 1 })
      for (const v of WRONG_TYPES) pushBody(`body ${show(v)}`, v)
      // Wrong content types and malformed JSON (never valid, whatever the schema).
      for (const t of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/octet-stream'])
        push(`as ${t}`, url, baseBody, t, error([400, 415], 'bad_request'))
      push('without content-type', url, baseBody, null, error([400, 415], 'bad_request'))
      for (const s of ['{', '{"a":', "{'a':1}", '[1,]', 'nul', '{"a":1}}', '\u0000', ' '])
        push(`malformed JSON ${show(s)}`, url, s, 'application/json', error(400, 'bad_request'))
      push('__proto__ pollution', url, '{"__proto__":{"isAdmin":true}}', 'application/json', error([400, 403]))
    }
  }
  return probes
}

/** Rows per table, but the login throttle's (failed logins count there). */
async function tableCounts(srv: TestServer): Promise<Record<string, number>> {
  const db = dbOf(srv.storage)
  const out: Record<string, number> = {}
  for (const t of ['cases', 'updates', 'commands', 'batches', 'blobs', 'blob_chunks', 'case_blobs', 'blob_owners', 'blob_uploads', 'audit', 'settings', 'org_units', 'items', 'users', 'devices', 'arrangements', 'setup_tokens', 'password_resets'] as const) {
    const row = await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[t] = Number(row.n)
  }
  return out
}

// ---------------------------------------------------------------------------------------------

for (const storage of storages) {
  describe(`bad-input (${storage})`, () => {
    let w: World
    let before: Fingerprint
    const sent = new Map<string, number>()
    const count = (probes: Probe[]) => {
      for (const p of probes) sent.set(p.family, (sent.get(p.family) ?? 0) + 1)
    }
    const total = () => [...sent.values()].reduce((a, b) => a + b, 0)

    async function expectHealthyAndUnchanged() {
      const health = await w.srv.api('/api/health')
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ ok: true, storage })
      expect(await fingerprint(w)).toEqual(before)
    }

    async function run(probes: Probe[], concurrency = CONCURRENCY) {
      const failures = await sendAll(w.srv.url, probes, concurrency)
      count(probes)
      expect(failures.slice(0, 15), `${failures.length} of ${probes.length} requests broke the contract (seed ${SEED})`).toEqual([])
    }

    beforeAll(async () => {
      const srv = await startTestServer(storage)
      const agent = await newDevice(srv.url, 'agent')
      const item = itemNamed(agent, '临时救助')
      const caseId = await takeInCase(agent, item, 7)
      const r = await agent.engine.sync()
      expect(r).toMatchObject({ pushedCases: 1, rejected: 0 })
      const tokens = {} as Record<User, string>
      const ids = {} as Record<User, UserId>
      for (const u of USERS) {
        tokens[u] = await srv.login(u)
        ids[u] = (await srv.storage.findUserByUsername(u))!.id
      }
      const stored = (await srv.storage.getCase(caseId))!
      const log = await srv.storage.caseLog(caseId)
      const doc = new Y.Doc()
      for (const e of log) Y.applyUpdate(doc, e.data)
      w = {
        srv,
        tokens,
        ids,
        caseId,
        caseNumber: stored.number as CaseNumber,
        item: { code: item.code, version: item.version },
        agentDeviceId: agent.identity.deviceId,
        agent,
        full: Y.encodeStateAsUpdate(doc),
        updates: log.map((e) => new Uint8Array(e.data)),
      }
      before = await fingerprint(w)
      expect(before.countLog).toBeGreaterThan(0)
    })
    afterAll(async () => w?.srv.stop())

    it('answers generated truncated, garbage, badly typed, wrong-version and unauthenticated sync requests with 4xx and a JSON reason', async () => {
      const probes = [
        ...truncatedFrames(w, 2000),
        ...garbageFrames(w, 1500),
        ...badHeaders(w, 2000),
        ...unknownVersions(w, 800),
        ...authTypeEncoding(w, {
          noToken: 100,
          garbageToken: 200,
          tampered: 200,
          otherSecret: 50,
          expired: 50,
          badClaims: 50,
          schemes: 50,
          contentType: 200,
          noContentType: 30,
          encoding: 150,
          notGzip: 120,
          gzippedGarbage: 50,
          method: 50,
        }),
      ]
      await run(probes)
      await expectHealthyAndUnchanged()
    })

    it('answers sync bodies over 8 MiB raw or 32 MiB inflated with 413', async () => {
      await run(oversized(w), 2)
      await expectHealthyAndUnchanged()
    })

    it('refuses every update of generated pushes with garbage, truncated or forged Yjs data, with a reason, and stores nothing', async () => {
      await run([...badYjs(w, 1500), ...forged(w, 12)])
      await expectHealthyAndUnchanged()
    })

    it('answers generated bad login, device, catalogue and calendar requests with 4xx and a JSON reason', async () => {
      const { fast, slow } = badJson(w, {
        loginJson: 500,
        loginFields: 300,
        loginText: 150,
        loginType: 80,
        loginWrong: 10,
        devicesJson: 300,
        devicesFields: 250,
        devicesText: 80,
        devicesType: 50,
        devicesRole: 40,
        devicesConflict: 20,
        devicesAuth: 60,
        catalogueJson: 250,
        catalogueMutated: 150,
        catalogueText: 50,
        catalogueRole: 20,
        calendarJson: 250,
        calendarMutated: 150,
        calendarYear: 40,
        calendarPath: 60,
        calendarText: 50,
        calendarRole: 20,
        unknownPath: 150,
      })
      await run(fast)
      await run(slow, 2)
      await expectHealthyAndUnchanged()
      // Nothing generated was loaded: the catalogue and the calendar are as shipped.
      expect((await (await w.srv.api('/api/calendar', { token: w.tokens.admin })).json()).arrangements.some((a: { year: number }) => a.year === 2027)).toBe(false)
      expect(validateCatalogue({ items: (await (await w.srv.api('/api/catalogue', { token: w.tokens.admin })).json()).items })).toEqual([])
    })

    it('answers generated wrong types, missing and unknown fields, oversize strings, wrong content types and malformed JSON for every operation of the OpenAPI document with 4xx and a reason', async () => {
      const doc = (await (await w.srv.api('/api/openapi.json')).json()) as OpenApiDoc
      const rowsBefore = await tableCounts(w.srv)
      const probes = schemaDrivenProbes(w, doc)
      const operations = new Set(probes.map((p) => p.what.split(' ').slice(0, 2).join(' ')))
      console.log(`schema-driven bad input (${storage}): ${probes.length} requests over ${operations.size} operations`)
      expect(operations.size).toBeGreaterThan(20)
      await run(probes)
      await expectHealthyAndUnchanged()
      expect(await tableCounts(w.srv)).toEqual(rowsBefore)
    })

    it(`sent at least ${MIN_REQUESTS} bad requests, and the server still answers health with the stored data unchanged`, async () => {
      expect(Object.fromEntries(sent)).toMatchObject({
        truncated: expect.any(Number),
        garbage: expect.any(Number),
        'bad-header': expect.any(Number),
        version: expect.any(Number),
        oversized: expect.any(Number),
        'auth/type/encoding': expect.any(Number),
        'bad-yjs': expect.any(Number),
        forged: expect.any(Number),
        json: expect.any(Number),
        schema: expect.any(Number),
      })
      expect(total()).toBeGreaterThanOrEqual(MIN_REQUESTS)
      await expectHealthyAndUnchanged()
    })

    // Runs last: it stores two new cases and legitimate commands on them, so the data is no longer
    // the fingerprint taken at the start.
    //
    // Optional text fields (a correction's path, an approval's reason, a rating's comment) are
    // copied into the workflow state synced to every device, so anything but text is refused.
    it('refuses commands whose optional text fields are not text (return corrections[].path, complete reason, rate comment)', async () => {
      const item = itemNamed(w.agent, '临时救助')
      const returned = await takeInCase(w.agent, item, 31)
      const completed = await takeInCase(w.agent, item, 32)
      const rated = await takeInCase(w.agent, item, 33)
      expect(await w.agent.engine.sync()).toMatchObject({ pushedCases: 3, rejected: 0 })
      const command = async (user: User, caseId: CaseId, c: Record<string, unknown>) => {
        const pc: PushCommand = { id: uid('cmd-'), caseId, command: { ...c, at: new Date().toISOString() } as never }
        const res = await fetch(`${w.srv.url}/api/sync`, {
          method: 'POST',
          headers: { 'content-type': SYNC_CONTENT_TYPE, authorization: `Bearer ${w.tokens[user]}` },
          body: encodeSyncRequest({ header: syncHeader({ commands: [pc] }), updates: [] }) as BodyInit,
        })
        expect(res.status).toBe(200)
        return decodeSyncResponse(new Uint8Array(await res.arrayBuffer())).header.commands[0]!
      }
      const state = async (caseId: CaseId) => (await w.srv.storage.getCase(caseId))!.state as unknown as Record<string, any>
      const problems: string[] = []
      const notText = { not: ['text'], big: 'x'.repeat(100_000) }
      const refused = (a: { ok: boolean; code?: string }) => !a.ok && a.code === 'invalid_command'

      // township returns a submitted case, with a correction whose path is an object
      const r = await command('township', returned, { type: 'return', corrections: [{ label: '身份证', reason: '看不清', path: notText }] })
      if (!refused(r)) problems.push(`return with corrections[0].path = an object → ${show(r)}; stored corrections[0].path: ${show((await state(returned)).corrections?.[0]?.path)}`)

      // township accepts, then approves with a reason that is an object
      expect(await command('township', completed, { type: 'accept' })).toMatchObject({ ok: true })
      const c = await command('township', completed, { type: 'complete', decision: 'approved', reason: notText })
      if (!refused(c)) problems.push(`complete approved with reason = an object → ${show(c)}; stored decision.reason: ${show((await state(completed)).decision?.reason)}`)

      // township accepts, approves and delivers; the agent rates with a comment that is an object
      for (const step of [{ type: 'accept' }, { type: 'complete', decision: 'approved' }, { type: 'deliver', method: 'window' }])
        expect(await command('township', rated, step)).toMatchObject({ ok: true })
      const g = await command('agent', rated, { type: 'rate', rating: 5, comment: notText })
      if (!refused(g)) problems.push(`rate with comment = an object → ${show(g)}; stored rating.comment: ${show((await state(rated)).rating?.comment)}`)

      expect(problems).toEqual([])
    })
  })
}
