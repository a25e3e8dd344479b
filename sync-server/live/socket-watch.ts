// Keeps open sockets honest: a socket lives no longer than the token it was opened with, and is
// closed as soon as its account is disabled or its device revoked (on this instance at once, on
// others through LISTEN/NOTIFY, and in any case within one sweep). Close codes are documented in
// docs/protocol.md §12.

import type { WebSocket } from 'ws'
import type { AccessGuard } from '../auth/access-guard'
import type { TokenClaims } from '../auth/tokens'

export const CloseCode = {
  /** The token the socket was opened with has expired: log in again, then reconnect. */
  tokenExpired: 4401,
  /** The account was disabled or the device revoked. */
  accessRevoked: 4403,
  /** The server refused an update from this client and could not bring it back in step. */
  updateRefused: 4409,
} as const

const SWEEP_MS = 5000
const MAX_TIMER_MS = 2 ** 31 - 1

interface Watched {
  socket: WebSocket
  claims: TokenClaims
  deviceId: string | null
  timer: NodeJS.Timeout | null
}

export class SocketWatch {
  private watched = new Set<Watched>()
  private sweeper: NodeJS.Timeout

  constructor(private guard: AccessGuard) {
    guard.onChange((c) => {
      for (const w of this.watched) if ((c.kind === 'user' && w.claims.sub === c.id) || (c.kind === 'device' && w.deviceId === c.id)) void this.recheck(w)
    })
    this.sweeper = setInterval(() => {
      for (const w of this.watched) void this.recheck(w)
    }, SWEEP_MS).unref()
  }

  /** Starts watching a socket until it closes. */
  add(socket: WebSocket, claims: TokenClaims, deviceId: string | null = null): void {
    const w: Watched = { socket, claims, deviceId, timer: null }
    this.watched.add(w)
    this.armExpiry(w)
    socket.on('close', () => {
      if (w.timer) clearTimeout(w.timer)
      this.watched.delete(w)
    })
  }

  /** Whether a message from this socket may still be acted on (its token and account are valid now). */
  async admits(socket: WebSocket, claims: TokenClaims, deviceId: string | null = null): Promise<boolean> {
    if (socket.readyState !== socket.OPEN) return false
    const problem = await this.problem(claims, deviceId)
    if (problem) socket.close(problem.code, problem.reason)
    return problem === null
  }

  private armExpiry(w: Watched): void {
    const ms = w.claims.exp * 1000 - Date.now()
    w.timer = setTimeout(() => {
      w.timer = null
      if (w.claims.exp * 1000 <= Date.now()) w.socket.close(CloseCode.tokenExpired, 'token_expired')
      else this.armExpiry(w)
    }, Math.max(0, Math.min(ms, MAX_TIMER_MS)))
    w.timer.unref()
  }

  private async problem(claims: TokenClaims, deviceId: string | null): Promise<{ code: number; reason: string } | null> {
    if (claims.exp * 1000 <= Date.now()) return { code: CloseCode.tokenExpired, reason: 'token_expired' }
    if (!(await this.guard.userActive(claims.sub))) return { code: CloseCode.accessRevoked, reason: 'account_disabled' }
    if (await this.guard.mustChangePassword(claims.sub)) return { code: CloseCode.accessRevoked, reason: 'password_change_required' }
    if (deviceId) {
      const d = await this.guard.device(deviceId)
      if (!d || d.userId !== claims.sub || d.revokedAt !== null) return { code: CloseCode.accessRevoked, reason: 'device_revoked' }
    }
    return null
  }

  private async recheck(w: Watched): Promise<void> {
    try {
      const problem = await this.problem(w.claims, w.deviceId)
      if (problem && w.socket.readyState === w.socket.OPEN) w.socket.close(problem.code, problem.reason)
    } catch {
      // the database is briefly unreachable: the next sweep asks again
    }
  }

  close(): void {
    clearInterval(this.sweeper)
    for (const w of this.watched) if (w.timer) clearTimeout(w.timer)
    this.watched.clear()
  }
}
