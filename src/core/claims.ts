// Claims: no two clerks on one case unknowingly. A clerk takes a case with `claim` and holds it as a
// lease that lapses after an idle time and is renewed by each of the holder's commands. While a
// lease is live, decisions from anyone else are refused (`claimed_by_other`), so a clerk who lost
// the case (lease lapsed and taken over) can never write. Nobody holding it, a decision claims the
// case implicitly. The server's clock stamps every command, so the server's order decides.

import type { Actor, Role } from './roles'
import type { Claim, CommandType, CaseStatus, WorkflowState } from './workflow-model'

export const DEFAULT_CLAIM_LEASE_MS = 30 * 60 * 1000
export const MAX_HOLDER_NAME = 64

export interface ClaimOptions {
  /** How long a claim lives without a command from its holder (server configuration). */
  leaseMs?: number
  /** The sender's display name, recorded with a claim for queue lists. */
  name?: string
}

/** Commands that decide a case at the township or county: fenced by claims. */
const FENCED: readonly CommandType[] = ['accept', 'return', 'refuse', 'forward', 'complete', 'suspend', 'resume', 'withdraw', 'claim']

/** The live claim on a case at `now` (ms), or null when nobody holds it or the lease lapsed. */
export function claimHolder(state: WorkflowState, now: number): Claim | null {
  const c = state.claim ?? null
  return c && Date.parse(c.until) > now ? c : null
}

/** Which staff role acts on a case in this status (null: nobody at an office). */
export function actingRole(status: CaseStatus): Role | null {
  switch (status) {
    case 'submitted':
    case 'accepted':
      return 'township'
    case 'forwarded':
      return 'county'
    case 'draft':
    case 'returned':
    case 'completed':
    case 'delivered':
    case 'archived':
    case 'refused':
    case 'withdrawn':
      return null
  }
}

/**
 * True when this command from this actor must respect another clerk's claim: a decision by a clerk
 * of the office the case is at (anything else is refused by the state rules with a better reason).
 */
export function isFenced(type: CommandType, actor: Actor, status: CaseStatus): boolean {
  return actingRole(status) === actor.role && FENCED.includes(type)
}

/** The holder blocking this actor, if another clerk holds a live claim. */
export function blockingClaim(state: WorkflowState, actor: Actor, now: number): Claim | null {
  const holder = claimHolder(state, now)
  return holder && holder.userId !== actor.userId ? holder : null
}

/** A fresh or renewed lease for the actor from `at`. */
export function leaseFor(state: WorkflowState, actor: Actor, at: string, opts: ClaimOptions = {}): Claim {
  const now = Date.parse(at)
  const mine = claimHolder(state, now)?.userId === actor.userId ? state.claim! : null
  const name = (opts.name ?? mine?.name ?? actor.userId).slice(0, MAX_HOLDER_NAME)
  return { userId: actor.userId, name, role: actor.role, since: mine?.since ?? at, until: new Date(now + (opts.leaseMs ?? DEFAULT_CLAIM_LEASE_MS)).toISOString() }
}

/**
 * The claim after an applied command: a staff decision that leaves the case with the same office
 * keeps (renews) the sender's lease; one that moves the case on clears it.
 */
export function claimAfter(next: WorkflowState, before: WorkflowState, actor: Actor, at: string, opts: ClaimOptions = {}): Claim | null {
  const office = actingRole(next.status)
  if (office === null) return null
  if (actor.role !== 'township' && actor.role !== 'county') return before.claim ?? null
  return office === actor.role ? leaseFor(before, actor, at, opts) : null
}

export function describeClaim(c: Claim): string {
  return `${c.name} holds this case until ${c.until}`
}
