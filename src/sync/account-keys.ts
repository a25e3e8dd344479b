// Opening an account's data key at sign-in or unlock (see keyring.ts): by the password, or, at an
// online sign-in whose password no longer opens it (an administrator reset it), by the device
// escrow key from the server, after which it is wrapped again under the new password.

import { addEscrow, newKeys, openWithEscrow, openWithPassword, rewrapPassword, sealerOf, type WrappedKeys } from './keyring'
import type { Sealer } from '../store/sealed'

export interface KeyRequest {
  keys: WrappedKeys | undefined
  password: string
  iterations: number
  /** The device escrow key; null offline (or when the server has none for this device). */
  escrow: (() => Promise<string | null>) | null
}

export type KeyOutcome =
  | { ok: true; sealer: Sealer; keys: WrappedKeys; changed: boolean; created: boolean }
  /** wrong_password: offline, the password does not open the key. lost: online, neither the password nor the escrow key opens it. */
  | { ok: false; code: 'wrong_password' | 'lost' }

export async function openKeys(r: KeyRequest): Promise<KeyOutcome> {
  const escrow = async () => (r.escrow ? await r.escrow().catch(() => null) : null)
  if (!r.keys) {
    const { keys, secret } = await newKeys(r.password, await escrow(), r.iterations)
    return { ok: true, sealer: await sealerOf(secret), keys, changed: true, created: true }
  }
  const secret = await openWithPassword(r.keys, r.password)
  if (secret) {
    const e = !r.keys.byEscrow ? await escrow() : null
    const keys = e ? await addEscrow(r.keys, secret, e) : r.keys
    return { ok: true, sealer: await sealerOf(secret), keys, changed: keys !== r.keys, created: false }
  }
  if (!r.escrow) return { ok: false, code: 'wrong_password' }
  const e = await escrow()
  const recovered = e ? await openWithEscrow(r.keys, e) : null
  if (!recovered) return { ok: false, code: 'lost' }
  const keys = await rewrapPassword(r.keys, recovered, r.password, r.iterations)
  return { ok: true, sealer: await sealerOf(recovered), keys, changed: true, created: false }
}

/** POST /api/devices/escrow: the escrow key of this account on this enrolled device. */
export async function fetchEscrow(
  o: { baseUrl: string; token: string; credential: string; deviceId: string; password: string },
  doFetch: typeof fetch = fetch,
): Promise<string | null> {
  const res = await doFetch(`${o.baseUrl}/api/devices/escrow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}`, 'x-daiban-device': o.credential },
    body: JSON.stringify({ deviceId: o.deviceId, password: o.password }),
  })
  if (!res.ok) return null
  const body = (await res.json()) as { key?: unknown }
  return typeof body.key === 'string' ? body.key : null
}
