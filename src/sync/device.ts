// Assembles one device's local stack (IndexedDB database, case store, sync engine) from a server
// address and a login. The PWA's worker and the Node simulator both build devices this way.

import type { DexieOptions } from 'dexie'
import type { Role, ServiceItem, UserId, YearArrangement } from '../core'
import { CaseStore, type DeviceIdentity } from '../store/case-store'
import { openDb, setValue, type DaibanDB } from '../store/db'
import { randomId } from '../store/ids'
import { SyncEngine, type SyncOptions } from './engine'
import { httpTransport } from './transport'

export interface Login {
  token: string
  expiresAt: string
  user: { id: string; username: string; role: Role; scope: string; displayName: string }
  /** An administrator reset the password: the server takes nothing but a new one. */
  mustChangePassword?: boolean
}

export interface Device {
  db: DaibanDB
  store: CaseStore
  engine: SyncEngine
  identity: DeviceIdentity
  catalogue: ServiceItem[]
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T & { ok?: boolean; error?: { code: string; message: string } }
  if (!res.ok || body.ok === false) throw new Error(`${res.status} ${body.error?.code ?? ''}: ${body.error?.message ?? ''}`)
  return body
}

export async function login(baseUrl: string, username: string, password: string, doFetch: typeof fetch = fetch): Promise<Login> {
  return json<Login>(await doFetch(`${baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) }))
}

export interface Enrolment {
  deviceNumber: number
  /** Presented with every sync; binds the device's writes to this enrolment. */
  credential: string
}

/** Enrols this device for the signed-in user (again, harmlessly, when it already is). */
export async function enrolDevice(baseUrl: string, token: string, deviceId: string, publicKey: string, doFetch: typeof fetch = fetch): Promise<Enrolment> {
  const res = await doFetch(`${baseUrl}/api/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ deviceId, publicKey, label: 'daiban device' }),
  })
  const body = await json<{ deviceNumber: number; credential: string }>(res)
  return { deviceNumber: body.deviceNumber, credential: body.credential }
}

export async function enrol(baseUrl: string, token: string, deviceId: string, publicKey: string, doFetch: typeof fetch = fetch): Promise<number> {
  return (await enrolDevice(baseUrl, token, deviceId, publicKey, doFetch)).deviceNumber
}

export async function fetchCatalogue(baseUrl: string, token: string, doFetch: typeof fetch = fetch): Promise<ServiceItem[]> {
  return (await json<{ items: ServiceItem[] }>(await doFetch(`${baseUrl}/api/catalogue`, { headers: { authorization: `Bearer ${token}` } }))).items
}

/** The working-day arrangements the deployment loaded (official years beyond the bundled data). */
export async function fetchArrangements(baseUrl: string, token: string, doFetch: typeof fetch = fetch): Promise<YearArrangement[]> {
  return (await json<{ arrangements: YearArrangement[] }>(await doFetch(`${baseUrl}/api/calendar`, { headers: { authorization: `Bearer ${token}` } }))).arrangements
}

export interface OpenDeviceOptions {
  baseUrl: string
  login: Login
  dbName: string
  dexie?: DexieOptions
  deviceId?: string
  /** Enrolled device number (agents); looked up or enrolled when absent. */
  deviceNumber?: number
  publicKey?: string
  sync?: SyncOptions
  fetch?: typeof fetch
}

export async function openDevice(o: OpenDeviceOptions): Promise<Device> {
  const db = openDb(o.dbName, o.dexie)
  await db.open()
  const deviceId = o.deviceId ?? ((await db.kv.get('device.id'))?.value as string | undefined) ?? `dev-${randomId(12)}`
  await setValue(db, 'device.id', deviceId)
  let deviceNumber = o.deviceNumber ?? ((await db.kv.get('device.number'))?.value as number | undefined) ?? 0
  let credential = (await db.kv.get('device.credential'))?.value as string | undefined
  // Every role enrols (the credential proves which device syncs); an install from before
  // credentials existed enrols again to receive one.
  if (!credential) {
    const e = await enrolDevice(o.baseUrl, o.login.token, deviceId, o.publicKey ?? JSON.stringify({ kty: 'EC', crv: 'P-256', note: 'unsigned device' }), o.fetch)
    credential = e.credential
    if (!deviceNumber) deviceNumber = e.deviceNumber
    await setValue(db, 'device.number', deviceNumber)
    await setValue(db, 'device.credential', credential)
  }
  const catalogue = await fetchCatalogue(o.baseUrl, o.login.token, o.fetch)
  await db.catalogue.bulkPut(catalogue)
  const identity: DeviceIdentity = { deviceId, deviceNumber, userId: o.login.user.id as UserId, role: o.login.user.role, scope: o.login.user.scope }
  const store = new CaseStore(db, identity)
  const names = new Map(catalogue.map((i) => [i.code as string, i.name]))
  const transport = httpTransport({ baseUrl: o.baseUrl, token: () => o.login.token, deviceCredential: () => credential, ...(o.fetch ? { fetch: o.fetch } : {}) })
  const engine = new SyncEngine(store, transport, { itemName: (code) => names.get(code), ...o.sync })
  return { db, store, engine, identity, catalogue }
}
