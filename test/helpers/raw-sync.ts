// Raw sync requests for tests that must send what no honest device would: the header text is
// written by hand, so a command may carry any JSON (5,000 levels deep, megabytes of junk).
import { randomBytes } from 'node:crypto'
import * as encoding from 'lib0/encoding'
import { decodeSyncResponse, SYNC_CONTENT_TYPE, SYNC_PROTOCOL_VERSION, type CaseId, type CommandAnswer, type SyncResponseHeader } from '../../src/core'

export const uid = (prefix: string) => `${prefix}${randomBytes(9).toString('hex')}`

/** A sync frame whose commands are given as raw JSON text, followed by these updates. */
export function rawFrame(commands: { caseId: CaseId; json: string; id?: string }[], updates: { caseId: CaseId; data: Uint8Array }[] = [], pull: { cursor: number; limit: number } | null = null): Uint8Array {
  const cmds = commands.map((c) => `{"id":${JSON.stringify(c.id ?? uid('cmd-'))},"caseId":${JSON.stringify(c.caseId)},"command":${c.json}}`).join(',')
  const header = `{"batchId":${JSON.stringify(uid('batch-'))},"deviceId":"raw-device-0001","updates":${JSON.stringify(updates.map((u) => u.caseId))},"commands":[${cmds}],"pull":${JSON.stringify(pull)}}`
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, SYNC_PROTOCOL_VERSION)
  encoding.writeVarString(enc, header)
  for (const u of updates) encoding.writeVarUint8Array(enc, u.data)
  return encoding.toUint8Array(enc)
}

export async function postSync(baseUrl: string, token: string, body: Uint8Array): Promise<{ status: number; header: SyncResponseHeader | null; text: string }> {
  const res = await fetch(`${baseUrl}/api/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': SYNC_CONTENT_TYPE }, body: body as BodyInit })
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (res.status !== 200) return { status: res.status, header: null, text: new TextDecoder().decode(bytes) }
  return { status: 200, header: decodeSyncResponse(bytes).header, text: '' }
}

/** Sends one command as raw JSON text and returns the server's answer to it. */
export async function sendRawCommand(baseUrl: string, token: string, caseId: CaseId, json: string): Promise<CommandAnswer> {
  const r = await postSync(baseUrl, token, rawFrame([{ caseId, json }]))
  if (!r.header) throw new Error(`sync answered HTTP ${r.status}: ${r.text.slice(0, 200)}`)
  return r.header.commands[0]!
}

/** JSON text of a value nested `depth` levels deep ([[[…]]]). */
export const deepJson = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
