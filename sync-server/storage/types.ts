// The storage port of the sync server. One interface, two implementations (SQLite for a single
// station or township, PostgreSQL for many server instances), one contract suite both must pass.

import type { Department, DivisionCode, OrgUnit, Role, ServiceItem, UserId, YearArrangement } from '../../src/core'

export type StorageKind = 'sqlite' | 'postgres'

export interface UserRecord {
  id: UserId
  username: string
  passwordHash: string
  role: Role
  scope: DivisionCode
  displayName: string
  department: Department | null
  disabled: boolean
  createdAt: number
}

export type NewUser = Omit<UserRecord, 'id' | 'createdAt' | 'disabled'> & { id?: UserId; disabled?: boolean }

export interface DeviceRecord {
  id: string
  userId: UserId
  villageCode: string
  deviceNumber: number
  publicKey: string
  label: string
  createdAt: number
}

export interface Storage {
  readonly kind: StorageKind
  /** Brings the schema up to date; safe to call from several instances at once. */
  migrate(): Promise<void>
  close(): Promise<void>

  getSetting(key: string): Promise<string | undefined>
  /** Stores `value` unless the key exists; returns the value that is stored (first writer wins). */
  setSettingOnce(key: string, value: string): Promise<string>

  putOrgUnits(units: OrgUnit[]): Promise<void>
  listOrgUnits(): Promise<OrgUnit[]>

  putItems(items: ServiceItem[]): Promise<void>
  /** The newest version of every item. */
  listItems(): Promise<ServiceItem[]>
  getItem(code: string, version: number): Promise<ServiceItem | undefined>

  createUser(user: NewUser): Promise<UserRecord>
  findUserByUsername(username: string): Promise<UserRecord | undefined>
  getUser(id: UserId): Promise<UserRecord | undefined>
  countUsers(): Promise<number>

  /** Adds one failure for `key` within `windowMs` (older failures are forgotten); returns the count. */
  recordLoginFailure(key: string, now: number, windowMs: number): Promise<{ count: number; lastAt: number }>
  getLoginFailures(key: string): Promise<{ count: number; lastAt: number } | undefined>
  clearLoginFailures(key: string): Promise<void>

  /** Enrols a device in a village, giving it the next free device number there. */
  enrolDevice(d: Omit<DeviceRecord, 'deviceNumber' | 'createdAt'>): Promise<DeviceRecord>
  getDevice(id: string): Promise<DeviceRecord | undefined>

  putArrangement(a: YearArrangement, loadedBy: string): Promise<void>
  listArrangements(): Promise<YearArrangement[]>
}
