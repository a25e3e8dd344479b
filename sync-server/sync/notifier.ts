// Tells live connections that the log grew: in-process listeners always, and other server
// instances through PostgreSQL LISTEN/NOTIFY when several share one database.

import { EventEmitter } from 'node:events'
import type pg from 'pg'

export interface LogChange {
  caseId: string
  village: string
  audience: number
  seq: number
}

const CHANNEL = 'daiban_log'
const CALENDAR_CHANNEL = 'daiban_calendar'
const ACCESS_CHANNEL = 'daiban_access'

/** An account was disabled or changed, or a device revoked: caches drop it, sockets re-check. */
export interface AccessChange {
  kind: 'user' | 'device'
  id: string
}
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000

export class Notifier {
  private events = new EventEmitter()
  private listener: pg.PoolClient | null = null
  /** Tells this instance's own access notifications apart (it has already acted on them). */
  private readonly origin = Math.random().toString(36).slice(2)

  constructor() {
    this.events.setMaxListeners(0)
  }

  /** Called when an administrator loaded a working-day arrangement (on any instance). */
  onCalendarChange(fn: () => void): () => void {
    this.events.on('calendar', fn)
    return () => this.events.off('calendar', fn)
  }

  async calendarChanged(pool?: pg.Pool): Promise<void> {
    if (pool && this.listener) await pool.query('select pg_notify($1, $2)', [CALENDAR_CHANNEL, '1'])
    else this.events.emit('calendar')
  }

  onAccessChange(fn: (change: AccessChange) => void): () => void {
    this.events.on('access', fn)
    return () => this.events.off('access', fn)
  }

  /** Heard at once on this instance, and through NOTIFY on the others. */
  async accessChanged(change: AccessChange, pool?: pg.Pool): Promise<void> {
    this.events.emit('access', change)
    if (pool && this.listener) await pool.query('select pg_notify($1, $2)', [ACCESS_CHANNEL, JSON.stringify([this.origin, change.kind, change.id])])
  }

  subscribe(fn: (changes: LogChange[]) => void): () => void {
    this.events.on('changes', fn)
    return () => this.events.off('changes', fn)
  }

  /** Called after a commit. */
  async publish(changes: LogChange[], pool?: pg.Pool): Promise<void> {
    if (!changes.length) return
    if (!pool || !this.listener) {
      this.events.emit('changes', changes)
      return
    }
    // With PostgreSQL every instance, this one included, hears it through LISTEN.
    let chunk: LogChange[] = []
    let size = 2
    const flush = async () => {
      if (chunk.length) await pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(chunk.map((c) => [c.caseId, c.village, c.audience, c.seq]))])
      chunk = []
      size = 2
    }
    for (const c of changes) {
      const len = c.caseId.length + c.village.length + 30
      if (size + len > MAX_PAYLOAD) await flush()
      chunk.push(c)
      size += len
    }
    await flush()
  }

  async listen(pool: pg.Pool): Promise<void> {
    const client = await pool.connect()
    client.on('notification', (msg) => {
      if (msg.channel === CALENDAR_CHANNEL) return void this.events.emit('calendar')
      if (msg.channel === ACCESS_CHANNEL && msg.payload) {
        try {
          const [origin, kind, id] = JSON.parse(msg.payload) as [string, string, string]
          if (origin !== this.origin && (kind === 'user' || kind === 'device') && typeof id === 'string') this.events.emit('access', { kind, id })
        } catch {
          // not ours
        }
        return
      }
      if (msg.channel !== CHANNEL || !msg.payload) return
      try {
        const rows = JSON.parse(msg.payload) as [string, string, number, number][]
        this.events.emit('changes', rows.map(([caseId, village, audience, seq]) => ({ caseId, village, audience, seq })))
      } catch {
        // a payload from something else on the channel: ignore it
      }
    })
    await client.query(`LISTEN ${CHANNEL}`)
    await client.query(`LISTEN ${CALENDAR_CHANNEL}`)
    await client.query(`LISTEN ${ACCESS_CHANNEL}`)
    this.listener = client
  }

  async close(): Promise<void> {
    if (this.listener) {
      this.listener.release(true)
      this.listener = null
    }
  }
}
