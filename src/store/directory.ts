// Which accounts have signed in on this device, with what is needed to sign them in again
// offline (a PBKDF2 verifier, never the password) and to resume syncing (the last token).

import Dexie, { type DexieOptions, type Table } from 'dexie'
import type { Role } from '../core'
import type { WrappedKeys } from '../sync/keyring'
import type { PasswordVerifier } from '../sync/local-auth'

export interface KnownUser {
  username: string
  userId: string
  displayName: string
  role: Role
  scope: string
  /** The offline password check of versions before encryption; dropped once `keys` exist. */
  verifier?: PasswordVerifier
  /** The account's data key, wrapped by its password and by the device escrow key (keyring.ts). */
  keys?: WrappedKeys
  token: string | null
  tokenExpiresAt: string | null
  lastLogin: string
}

export class DeviceDirectory extends Dexie {
  users!: Table<KnownUser, string>
  settings!: Table<{ key: string; value: unknown }, string>

  constructor(options?: DexieOptions) {
    super('daiban-device', options)
    this.version(1).stores({ users: 'username, lastLogin', settings: 'key' })
  }
}

/** One IndexedDB database per account, so two agents sharing a tablet never see each other's cases. */
export function userDbName(username: string): string {
  return `daiban-user-${username}`
}
