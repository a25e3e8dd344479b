// The sync protocol between a device and the server: one POST carries a push (pending Yjs updates
// per dirty case and pending commands, under a batch id) and a pull (cursor, page size); the answer
// carries per-item acknowledgements, the updates since the cursor in the caller's scope, the new
// cursor and the batch receipt. Cost is proportional to what changed, not to what the device holds.
//
// Wire format (before optional gzip): varUint version · varString header JSON · then one
// varUint8Array per update, in the order the header lists them. Binary updates never pass through
// base64 or JSON.

import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { isBlobHash, isCaseId, type BlobHash, type CaseId } from './brand'
import type { Command } from './workflow-model'
import type { RefusalCode } from './workflow-model'

export const SYNC_PROTOCOL_VERSION = 1
export const SYNC_CONTENT_TYPE = 'application/x-daiban-sync'
export const MAX_PULL_LIMIT = 2000
export const MAX_PUSH_UPDATES = 2000
export const MAX_PUSH_COMMANDS = 2000

/** Why the server rejected an update (the whole update, never a part of it). */
export const UpdateRejection = {
  malformed: 'malformed_update',
  missingDependencies: 'missing_dependencies',
  forbiddenRoot: 'forbidden_root',
  forbiddenKey: 'forbidden_key',
  invalidMeta: 'invalid_meta',
  invalidNote: 'invalid_note',
  outOfScope: 'out_of_scope',
  unknownCase: 'unknown_case',
  unknownItem: 'unknown_item',
  tooLarge: 'too_large',
} as const
export type UpdateRejection = (typeof UpdateRejection)[keyof typeof UpdateRejection]

export interface PushCommand {
  /** Unique per command (idempotency key); the device makes it. */
  id: string
  caseId: CaseId
  command: Command
}

/** What a device reports about itself with each sync, for the administrator's device list. */
export interface ClientReport {
  /** The app version the device runs (letters, digits, . + _ -; at most 32). */
  appVersion: string
  /** Local changes and commands not yet acknowledged when the request was built. */
  unsynced: number
}

export const MAX_REPORTED_UNSYNCED = 10_000_000
const APP_VERSION = /^[0-9A-Za-z.+_-]{1,32}$/

export interface SyncRequestHeader {
  batchId: string
  deviceId: string
  /** Absent from devices older than the report. */
  client?: ClientReport
  /** Cases whose updates follow, one binary update each, in this order. */
  updates: CaseId[]
  commands: PushCommand[]
  pull: { cursor: number; limit: number } | null
  /** The device's clock (ms since the epoch) when it sent the request; the server records the offset. */
  clock?: number
}

export interface SyncRequest {
  header: SyncRequestHeader
  updates: Uint8Array[]
}

export type UpdateAck = { caseId: CaseId; ok: true } | { caseId: CaseId; ok: false; code: UpdateRejection; message: string }

export type CommandAnswer =
  | { id: string; caseId: CaseId; ok: true; status: string }
  | { id: string; caseId: CaseId; ok: false; code: RefusalCode | 'unknown_case'; message: string }

export interface PulledUpdate {
  seq: number
  caseId: CaseId
}

export interface SyncResponseHeader {
  v: number
  batchId: string
  acks: UpdateAck[]
  commands: CommandAnswer[]
  pulled: PulledUpdate[]
  cursor: number
  more: boolean
  receipt: { cases: CaseId[]; missingBlobs: BlobHash[] }
}

export interface SyncResponse {
  header: SyncResponseHeader
  updates: Uint8Array[]
}

function encodeFrame(header: unknown, updates: Uint8Array[]): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, SYNC_PROTOCOL_VERSION)
  encoding.writeVarString(enc, JSON.stringify(header))
  for (const u of updates) encoding.writeVarUint8Array(enc, u)
  return encoding.toUint8Array(enc)
}

export class ProtocolError extends Error {
  constructor(
    readonly code: 'unsupported_version' | 'malformed',
    message: string,
  ) {
    super(message)
    this.name = 'ProtocolError'
  }
}

function decodeFrame(bytes: Uint8Array, count: (header: unknown) => number): { header: unknown; updates: Uint8Array[] } {
  try {
    const dec = decoding.createDecoder(bytes)
    const version = decoding.readVarUint(dec)
    if (version !== SYNC_PROTOCOL_VERSION) throw new ProtocolError('unsupported_version', `protocol version ${version} is not supported (this server speaks ${SYNC_PROTOCOL_VERSION})`)
    const header = JSON.parse(decoding.readVarString(dec)) as unknown
    const n = count(header)
    const updates: Uint8Array[] = []
    for (let i = 0; i < n; i++) updates.push(decoding.readVarUint8Array(dec))
    if (decoding.hasContent(dec)) throw new ProtocolError('malformed', 'trailing bytes after the last update')
    return { header, updates }
  } catch (e) {
    if (e instanceof ProtocolError) throw e
    throw new ProtocolError('malformed', `malformed sync frame: ${(e as Error).message}`)
  }
}

const ID = /^[0-9A-Za-z_-]{8,64}$/

/** Validates a request header; returns the reason it is unacceptable, or null. */
export function requestHeaderProblem(h: unknown): string | null {
  if (typeof h !== 'object' || h === null) return 'header must be an object'
  const r = h as Record<string, unknown>
  if (typeof r.batchId !== 'string' || !ID.test(r.batchId)) return 'batchId must be 8–64 letters, digits, - or _'
  if (typeof r.deviceId !== 'string' || !ID.test(r.deviceId)) return 'deviceId must be 8–64 letters, digits, - or _'
  if (!Array.isArray(r.updates)) return 'updates must be a list of case ids'
  if (r.updates.length > MAX_PUSH_UPDATES) return `at most ${MAX_PUSH_UPDATES} updates per request`
  if (!r.updates.every(isCaseId)) return 'every update needs a valid case id'
  if (new Set(r.updates).size !== r.updates.length) return 'merge the updates of one case into one'
  if (!Array.isArray(r.commands)) return 'commands must be a list'
  if (r.commands.length > MAX_PUSH_COMMANDS) return `at most ${MAX_PUSH_COMMANDS} commands per request`
  for (const c of r.commands) {
    if (typeof c !== 'object' || c === null) return 'each command must be an object'
    const pc = c as Record<string, unknown>
    if (typeof pc.id !== 'string' || !ID.test(pc.id)) return 'each command needs an id of 8–64 letters, digits, - or _'
    if (!isCaseId(pc.caseId)) return 'each command needs a valid case id'
    if (typeof pc.command !== 'object' || pc.command === null) return 'each command needs a command object'
  }
  if (r.client !== undefined) {
    const problem = clientReportProblem(r.client)
    if (problem) return problem
  }
  if (r.clock !== undefined && (!Number.isSafeInteger(r.clock) || (r.clock as number) < 0 || (r.clock as number) > 8.64e15)) return 'clock must be a time in ms since 1970'
  if (r.pull !== null) {
    if (typeof r.pull !== 'object') return 'pull must be null or {cursor, limit}'
    const p = r.pull as Record<string, unknown>
    if (!Number.isSafeInteger(p.cursor) || (p.cursor as number) < 0) return 'pull.cursor must be a whole number ≥ 0'
    if (!Number.isInteger(p.limit) || (p.limit as number) < 1 || (p.limit as number) > MAX_PULL_LIMIT) return `pull.limit must be 1–${MAX_PULL_LIMIT}`
  }
  return null
}

function clientReportProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return 'client must be {appVersion, unsynced}'
  const r = c as Record<string, unknown>
  for (const key of Object.keys(r)) if (key !== 'appVersion' && key !== 'unsynced') return `unknown field '${key.slice(0, 40)}' in client`
  if (typeof r.appVersion !== 'string' || !APP_VERSION.test(r.appVersion)) return 'client.appVersion must be 1–32 letters, digits, . + _ or -'
  if (!Number.isInteger(r.unsynced) || (r.unsynced as number) < 0 || (r.unsynced as number) > MAX_REPORTED_UNSYNCED) return `client.unsynced must be a whole number 0–${MAX_REPORTED_UNSYNCED}`
  return null
}

export function encodeSyncRequest(req: SyncRequest): Uint8Array {
  if (req.header.updates.length !== req.updates.length) throw new RangeError('one update per listed case')
  return encodeFrame(req.header, req.updates)
}

export function decodeSyncRequest(bytes: Uint8Array): SyncRequest {
  const { header, updates } = decodeFrame(bytes, (h) => {
    const problem = requestHeaderProblem(h)
    if (problem) throw new ProtocolError('malformed', problem)
    return (h as SyncRequestHeader).updates.length
  })
  return { header: header as SyncRequestHeader, updates }
}

export function encodeSyncResponse(res: SyncResponse): Uint8Array {
  return encodeFrame(res.header, res.updates)
}

export function decodeSyncResponse(bytes: Uint8Array): SyncResponse {
  const { header, updates } = decodeFrame(bytes, (h) => {
    const r = h as SyncResponseHeader
    if (!r || !Array.isArray(r.pulled)) throw new ProtocolError('malformed', 'response header lacks pulled')
    return r.pulled.length
  })
  const h = header as SyncResponseHeader
  if (!h.receipt.missingBlobs.every(isBlobHash)) throw new ProtocolError('malformed', 'bad blob hash in receipt')
  return { header: h, updates }
}
