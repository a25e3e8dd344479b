// The standard y-protocols WebSocket endpoint, /yjs/<caseId>?token=…, so stock Yjs clients
// (y-websocket's WebsocketProvider) can edit one case live. Reads are checked when the socket
// opens; every incoming update goes through the same sync path as a device push (permission
// check, log, transaction) and reaches the room only when accepted. Changes that arrive by any
// other route (HTTP sync, another server instance) are caught up from the log and broadcast.

import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { Actor, CaseId } from '../../src/core'
import type { Storage } from '../storage'
import type { LogChange, Notifier } from '../sync/notifier'
import type { SyncService } from '../sync/service'
import type pg from 'pg'
import { correctionFor, storeCorrection } from './correction'
import { CloseCode } from './socket-watch'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const MESSAGE_QUERY_AWARENESS = 3

interface Connection {
  socket: WebSocket
  actor: Actor
  deviceId: string
  /** Whether the socket's token, account and device still hold (checked before every write). */
  admit: () => Promise<boolean>
  /** Refused updates corrected so far on this connection. */
  corrections: number
}

/** Past this many refused updates a connection is closed instead of corrected again. */
const MAX_CORRECTIONS = 5

class Room {
  readonly doc: Y.Doc
  seq = 0
  conns = new Set<Connection>()
  private catchingUp: Promise<void> = Promise.resolve()

  constructor(
    readonly caseId: CaseId,
    private storage: Storage,
  ) {
    this.doc = new Y.Doc({ guid: caseId })
  }

  /** Applies log entries newer than what the room holds and broadcasts them. */
  catchUp(): Promise<void> {
    const run = this.catchingUp.then(async () => {
      const entries = await this.storage.caseLog(this.caseId, this.seq)
      if (!entries.length) return
      const update = Y.mergeUpdates(entries.map((e) => e.data))
      this.seq = entries.at(-1)!.seq
      Y.applyUpdate(this.doc, update, 'log')
      this.broadcast(syncMessage((e) => syncProtocol.writeUpdate(e, update)))
    })
    // One failed read must not poison the chain: the next catch-up starts from what was applied.
    this.catchingUp = run.catch(() => {})
    return run
  }

  broadcast(message: Uint8Array, except?: Connection): void {
    for (const c of this.conns) if (c !== except && c.socket.readyState === c.socket.OPEN) c.socket.send(message)
  }
}

const MAX_AWARENESS_STATES = 100
const MAX_AWARENESS_STATE_CHARS = 16 * 1024

/** Whether the rest of a message is one awareness update other clients can read. */
function isAwarenessUpdate(decoder: decoding.Decoder): boolean {
  try {
    const update = decoding.readVarUint8Array(decoder)
    if (decoding.hasContent(decoder)) return false
    const d = decoding.createDecoder(update)
    const n = decoding.readVarUint(d)
    if (n > MAX_AWARENESS_STATES) return false
    for (let i = 0; i < n; i++) {
      decoding.readVarUint(d) // client id
      decoding.readVarUint(d) // clock
      const state = decoding.readVarString(d)
      if (state.length > MAX_AWARENESS_STATE_CHARS) return false
      JSON.parse(state)
    }
    return !decoding.hasContent(d)
  } catch {
    return false
  }
}

function syncMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE_SYNC)
  write(e)
  return encoding.toUint8Array(e)
}

export class YjsRooms {
  private rooms = new Map<string, Room>()

  constructor(
    private storage: Storage,
    private sync: SyncService,
    private log: Logger,
    private notifier: Notifier,
    private pool?: pg.Pool,
  ) {
    notifier.subscribe((changes: LogChange[]) => {
      for (const c of changes) this.rooms.get(c.caseId)?.catchUp().catch((e) => this.log.warn({ err: e, caseId: c.caseId }, 'live catch-up failed'))
    })
  }

  get size(): number {
    return this.rooms.size
  }

  async join(socket: WebSocket, caseId: CaseId, actor: Actor, admit: () => Promise<boolean> = async () => true, deviceId = `live-${actor.userId}`): Promise<void> {
    let room = this.rooms.get(caseId)
    if (!room) {
      room = new Room(caseId, this.storage)
      this.rooms.set(caseId, room)
    }
    const conn: Connection = { socket, actor, deviceId, admit, corrections: 0 }
    room.conns.add(conn)
    socket.on('close', () => {
      room.conns.delete(conn)
      if (room.conns.size === 0) {
        this.rooms.delete(caseId)
        room.doc.destroy()
      }
    })
    // Messages may arrive before the room has caught up: queue them behind it.
    let queue = room.catchUp()
    socket.on('message', (data: Buffer) => {
      queue = queue.then(() => this.onMessage(room, conn, new Uint8Array(data))).catch((e) => this.log.warn({ err: e, caseId }, 'live message failed'))
    })
    await queue
    socket.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, room.doc)))
  }

  private async onMessage(room: Room, conn: Connection, data: Uint8Array): Promise<void> {
    // A message that arrives as the token expires or the account is disabled is not acted on.
    if (!(await conn.admit())) return
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder)
        if (step === syncProtocol.messageYjsSyncStep1) {
          const sv = decoding.readVarUint8Array(decoder)
          conn.socket.send(syncMessage((e) => syncProtocol.writeSyncStep2(e, room.doc, sv)))
        } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
          await this.acceptUpdate(room, conn, decoding.readVarUint8Array(decoder))
        }
        return
      }
      case MESSAGE_AWARENESS:
        // Presence (who is looking at the case) is relayed, never stored; only well-formed.
        if (!isAwarenessUpdate(decoder)) return void conn.socket.close(4400, 'malformed awareness update')
        room.broadcast(data, conn)
        return
      case MESSAGE_QUERY_AWARENESS:
        return
      default:
        conn.socket.close(4400, 'unknown message type')
    }
  }

  private async acceptUpdate(room: Room, conn: Connection, update: Uint8Array): Promise<void> {
    // Only what the room lacks goes to the log; an empty diff is nothing to check.
    let diff: Uint8Array
    try {
      diff = Y.diffUpdate(update, Y.encodeStateVector(room.doc))
      const decoded = Y.decodeUpdate(diff)
      if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return
    } catch {
      conn.socket.close(4400, 'not a Yjs update')
      return
    }
    const answer = await this.sync.push(conn.actor, {
      header: { batchId: `ws-${randomBytes(10).toString('hex')}`, deviceId: conn.deviceId, updates: [room.caseId], commands: [], pull: null },
      updates: [diff],
    })
    const ack = answer.acks[0]
    if (!ack?.ok) {
      const reason = ack && !ack.ok ? ack.code : 'none'
      this.log.info({ caseId: room.caseId, user: conn.actor.userId, reason }, 'live update refused')
      await this.bringBack(room, conn, diff, reason)
      return
    }
    await room.catchUp()
  }

  /**
   * The refused client already shows its edit: store a correction that sets the case back to the
   * server's content (it reaches this client and the room), or close the socket (4409) when the
   * update cannot be undone or the client keeps sending refused updates.
   */
  private async bringBack(room: Room, conn: Connection, refused: Uint8Array, reason: string): Promise<void> {
    const correction = ++conn.corrections <= MAX_CORRECTIONS ? correctionFor(room.doc, refused) : null
    if (!correction) {
      conn.socket.close(CloseCode.updateRefused, `update_refused: ${reason}`.slice(0, 120))
      return
    }
    const stored = await storeCorrection(this.storage, room.caseId, correction, conn.actor.userId, conn.deviceId, reason)
    if (!stored) return
    this.sync.docs.evict(room.caseId)
    await room.catchUp()
    this.notifier
      .publish([{ caseId: room.caseId, village: stored.village, audience: stored.audience, seq: stored.seq }], this.pool)
      .catch((e) => this.log.warn({ err: e }, 'live notification failed'))
  }
}
