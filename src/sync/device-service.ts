// Everything the app does with data, in one object that runs inside the Web Worker (see
// worker.ts) and is reached from the UI through Comlink. It signs in online or offline, keeps the
// device's cases, residents and photos, syncs in the background and answers the UI with small
// summaries, so the UI thread never waits on IndexedDB or Yjs.

import type { DexieOptions } from 'dexie'
import {
  readForm,
  readMaterials,
  readMeta,
  readNotes,
  readWorkflow,
  validateCase,
  type CaseId,
  type CaseProblem,
  type MaterialState,
  type Role,
  type ServiceItem,
  type UserId,
} from '../core'
import { CaseList, type CaseQuery, type ListFilter } from '../store/case-list'
import { CaseStore, type CommandInput } from '../store/case-store'
import { openDb, setValue, type CaseRow, type DaibanDB } from '../store/db'
import { DeviceDirectory, userDbName, type KnownUser } from '../store/directory'
import { randomId } from '../store/ids'
import { saveResident, searchResidents, type ResidentInput } from '../store/residents'
import { exportUnsynced, importUnsynced } from '../store/transfer'
import { enrol, fetchCatalogue, type Login } from './device'
import { deviceKeys } from './device-keys'
import { SyncEngine, LAST_SYNC, type SyncProgress } from './engine'
import { checkVerifier, makeVerifier } from './local-auth'
import { processPhoto } from './photos'
import { listenForHints, type LiveHints } from './live-hints'
import { SyncScheduler, type SchedulerState } from './scheduler'
import { httpTransport, SyncHttpError } from './transport'

export interface DeviceEnv {
  baseUrl: string
  fetch?: typeof fetch
  dexie?: DexieOptions
  isOnline: () => boolean
  pbkdf2Iterations?: number
  syncIntervalMs?: number
}

export interface SessionInfo {
  username: string
  userId: string
  displayName: string
  role: Role
  scope: string
  deviceId: string
  deviceNumber: number
  /** Signed in without the server (its token may have expired: it is renewed when online). */
  offline: boolean
}

export type LoginResult = { ok: true; session: SessionInfo } | { ok: false; code: 'wrong_credentials' | 'throttled' | 'first_login_needs_network' | 'server_error'; message: string; retryAfter?: number }

export interface SyncStatus {
  online: boolean
  /** The server's change hints reach this device at once. */
  live: boolean
  unsynced: number
  lastSuccess: string | null
  running: boolean
  lastError: string | null
  progress: SyncProgress | null
}

export interface CaseView {
  id: CaseId
  item: ServiceItem | null
  meta: ReturnType<typeof readMeta>
  form: Record<string, unknown>
  materials: Record<string, MaterialState>
  notes: ReturnType<typeof readNotes>
  workflow: ReturnType<typeof readWorkflow>
  row: CaseRow
  pendingCommands: string[]
  photos: { hash: string; materialId: string }[]
}

type Listener = (s: SyncStatus) => void

async function serverLogin(env: DeviceEnv, username: string, password: string): Promise<Login | { status: number; code: string; message: string; retryAfter?: number }> {
  const res = await (env.fetch ?? fetch)(`${env.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const body = (await res.json()) as Login & { error?: { code: string; message: string } }
  if (res.ok) return body
  return { status: res.status, code: body.error?.code ?? 'error', message: body.error?.message ?? `HTTP ${res.status}`, retryAfter: Number(res.headers.get('retry-after')) || undefined }
}

export class DeviceService {
  private directory: DeviceDirectory
  private db: DaibanDB | null = null
  private store: CaseStore | null = null
  private engine: SyncEngine | null = null
  private scheduler: SyncScheduler | null = null
  private list: CaseList | null = null
  private user: KnownUser | null = null
  private password: string | null = null
  private listeners = new Set<Listener>()
  private progress: SyncProgress | null = null
  private session: SessionInfo | null = null
  private hints: LiveHints | null = null
  /** Local writes run one after another, in the order the UI sent them. */
  private writes: Promise<unknown> = Promise.resolve()

  constructor(private env: DeviceEnv) {
    this.directory = new DeviceDirectory(env.dexie)
  }

  // ---------- administration ----------

  /**
   * Administration calls (online only), made here so the sign-in token stays in the worker. Only
   * administration and own-account paths are allowed.
   */
  async adminRequest(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    if (!this.user?.token) return { status: 401, body: { ok: false, error: { code: 'unauthenticated', message: 'sign in online first' } } }
    if (!/^\/api\/(admin|account|devices)\/[A-Za-z0-9/_.:?=&%-]*$/.test(path)) throw new Error(`not an administration path: ${path}`)
    const headers: Record<string, string> = { authorization: `Bearer ${this.user.token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await (this.env.fetch ?? fetch)(`${this.env.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    return { status: res.status, body: await res.json().catch(() => null) }
  }

  /** Changes the signed-in user's password on the server, then the device's offline check. */
  async changePassword(current: string, next: string): Promise<{ ok: true } | { ok: false; problems: { field: string; code: string; message: string }[] }> {
    const r = await this.adminRequest('POST', '/api/account/password', { current, next })
    if (r.status !== 200) {
      const err = (r.body as { error?: { code: string; message: string; details?: { problems?: { field: string; code: string; message: string }[] } } } | null)?.error
      return { ok: false, problems: err?.details?.problems ?? [{ field: '', code: err?.code ?? 'failed', message: err?.message ?? `HTTP ${r.status}` }] }
    }
    const verifier = await makeVerifier(next, this.env.pbkdf2Iterations)
    await this.directory.transaction('rw', this.directory.users, () => this.directory.users.update(this.user!.username, { verifier }))
    return { ok: true }
  }

  // ---------- accounts ----------

  async knownUsers(): Promise<{ username: string; displayName: string }[]> {
    return (await this.directory.users.orderBy('lastLogin').reverse().toArray()).map((u) => ({ username: u.username, displayName: u.displayName }))
  }

  async login(usernameInput: string, password: string): Promise<LoginResult> {
    const username = usernameInput.trim().toLowerCase()
    let online: Login | null = null
    if (this.env.isOnline()) {
      try {
        const r = await serverLogin(this.env, username, password)
        if ('token' in r) online = r
        else if (r.status === 401) return { ok: false, code: 'wrong_credentials', message: r.message }
        else if (r.status === 429) return { ok: false, code: 'throttled', message: r.message, ...(r.retryAfter ? { retryAfter: r.retryAfter } : {}) }
        else if (r.status < 500) return { ok: false, code: 'server_error', message: r.message }
      } catch {
        // The network is not really there: fall back to the offline check below.
      }
    }
    const known = await this.directory.users.get(username)
    if (online) {
      const user: KnownUser = {
        username,
        userId: online.user.id,
        displayName: online.user.displayName,
        role: online.user.role,
        scope: online.user.scope,
        verifier: known && (await checkVerifier(password, known.verifier)) ? known.verifier : await makeVerifier(password, this.env.pbkdf2Iterations),
        token: online.token,
        tokenExpiresAt: online.expiresAt,
        lastLogin: new Date().toISOString(),
      }
      await this.directory.transaction('rw', this.directory.users, () => this.directory.users.put(user))
      return { ok: true, session: await this.open(user, password, false) }
    }
    if (!known) return { ok: false, code: 'first_login_needs_network', message: 'the first sign-in on a device needs the network' }
    if (!(await checkVerifier(password, known.verifier))) return { ok: false, code: 'wrong_credentials', message: 'wrong password' }
    await this.directory.transaction('rw', this.directory.users, () => this.directory.users.update(username, { lastLogin: new Date().toISOString() }))
    return { ok: true, session: await this.open(known, password, true) }
  }

  /** Checks the password of the signed-in user again (unlock after idle). */
  async unlock(password: string): Promise<boolean> {
    return this.user ? checkVerifier(password, (await this.directory.users.get(this.user.username))!.verifier) : false
  }

  private async open(user: KnownUser, password: string, offline: boolean): Promise<SessionInfo> {
    await this.close()
    const db = openDb(userDbName(user.username), this.env.dexie)
    await db.open()
    const deviceId = ((await db.kv.get('device.id'))?.value as string | undefined) ?? `dev-${randomId(12)}`
    await setValue(db, 'device.id', deviceId)
    let deviceNumber = ((await db.kv.get('device.number'))?.value as number | undefined) ?? 0
    if (!offline && user.token) {
      if (!deviceNumber && user.role === 'agent') {
        const { publicJwk } = await deviceKeys(db)
        deviceNumber = await enrol(this.env.baseUrl, user.token, deviceId, JSON.stringify(publicJwk), this.env.fetch)
        await setValue(db, 'device.number', deviceNumber)
      }
      try {
        await db.catalogue.bulkPut(await fetchCatalogue(this.env.baseUrl, user.token, this.env.fetch))
      } catch {
        // keep the catalogue this device already has
      }
    }
    const store = new CaseStore(db, { deviceId, deviceNumber, userId: user.userId as UserId, role: user.role, scope: user.scope })
    const names = new Map((await db.catalogue.toArray()).map((i) => [i.code as string, i.name]))
    const transport = httpTransport({ baseUrl: this.env.baseUrl, token: () => this.user?.token ?? '', ...(this.env.fetch ? { fetch: this.env.fetch } : {}) })
    const engine = new SyncEngine(store, transport, { itemName: (c) => names.get(c), onProgress: (p) => this.setProgress(p) })
    this.db = db
    this.store = store
    this.engine = engine
    this.list = new CaseList(db)
    this.user = user
    this.password = password
    this.scheduler = new SyncScheduler({
      sync: () => this.runSync(),
      isOnline: this.env.isOnline,
      ...(this.env.syncIntervalMs ? { intervalMs: this.env.syncIntervalMs } : {}),
      onState: () => void this.emit(),
    })
    this.scheduler.start()
    this.hints = listenForHints(this.env.baseUrl, () => this.user?.token ?? '', () => void this.scheduler?.syncNow(), () => void this.emit())
    this.session = { username: user.username, userId: user.userId, displayName: user.displayName, role: user.role, scope: user.scope, deviceId, deviceNumber, offline }
    return this.session
  }

  /** Syncs; an expired token is renewed with the password given at sign-in, then the sync is retried once. */
  private async runSync(): Promise<void> {
    const engine = this.engine
    if (!engine || !this.user) return
    try {
      await engine.sync()
    } catch (e) {
      if (!(e instanceof SyncHttpError && e.status === 401 && this.password)) throw e
      const r = await serverLogin(this.env, this.user.username, this.password)
      if (!('token' in r)) throw e
      this.user = { ...this.user, token: r.token, tokenExpiresAt: r.expiresAt }
      await this.directory.transaction('rw', this.directory.users, () => this.directory.users.update(this.user!.username, { token: r.token, tokenExpiresAt: r.expiresAt }))
      await engine.sync()
    } finally {
      this.list?.invalidate()
      this.progress = null
    }
  }

  currentSession(): SessionInfo | null {
    return this.session
  }

  /** Refused while anything is unsynced: signing out would strand it on this device. */
  async logout(force = false): Promise<{ ok: true } | { ok: false; unsynced: number }> {
    const unsynced = (await this.engine?.pendingCount()) ?? 0
    if (unsynced > 0 && !force) return { ok: false, unsynced }
    await this.close()
    return { ok: true }
  }

  private async close(): Promise<void> {
    this.hints?.close()
    this.hints = null
    this.scheduler?.stop()
    this.db?.close()
    this.db = this.store = this.engine = this.scheduler = this.list = null
    this.user = null
    this.password = null
    this.session = null
  }

  private need(): { db: DaibanDB; store: CaseStore; list: CaseList } {
    if (!this.db || !this.store || !this.list) throw new Error('not signed in')
    return { db: this.db, store: this.store, list: this.list }
  }

  // ---------- sync status ----------

  subscribe(listener: Listener): void {
    this.listeners.add(listener)
    void this.status().then(listener)
  }

  online(): void {
    this.scheduler?.online()
  }

  async syncNow(): Promise<SyncStatus> {
    await this.scheduler?.syncNow()
    return this.status()
  }

  async status(): Promise<SyncStatus> {
    const s: SchedulerState | undefined = this.scheduler?.state
    return {
      online: this.env.isOnline(),
      live: this.hints?.connected() ?? false,
      unsynced: (await this.engine?.pendingCount()) ?? 0,
      lastSuccess: this.db ? (((await this.db.kv.get(LAST_SYNC))?.value as string | undefined) ?? null) : null,
      running: s?.running ?? false,
      lastError: s?.lastError ?? null,
      progress: this.progress,
    }
  }

  private setProgress(p: SyncProgress): void {
    this.progress = p.phase === 'done' ? null : p
    void this.emit()
  }

  private async emit(): Promise<void> {
    if (!this.listeners.size) return
    const s = await this.status()
    for (const l of this.listeners) l(s)
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(fn)
    this.writes = run.catch(() => {})
    return run
  }

  /** Resolves once every write sent so far is stored (before a reload to a new version). */
  async flush(): Promise<void> {
    await this.writes
  }

  /** After a local change: refresh lists and counters. */
  private changed(): void {
    this.list?.invalidate()
    void this.emit()
  }

  // ---------- catalogue and residents ----------

  async catalogue(): Promise<ServiceItem[]> {
    const all = await this.need().db.catalogue.toArray()
    const newest = new Map<string, ServiceItem>()
    for (const i of all) if ((newest.get(i.code)?.version ?? 0) < i.version) newest.set(i.code, i)
    return [...newest.values()]
  }

  searchResidents(query: string, limit?: number) {
    return searchResidents(this.need().db, query, limit)
  }

  async getResident(id: string) {
    return this.need().db.residents.get(id)
  }

  saveResident(input: ResidentInput) {
    return saveResident(this.need().db, this.session?.scope ?? '', input)
  }

  async residentCases(id: string) {
    const { db } = this.need()
    const r = await db.residents.get(id)
    if (!r) return []
    return (await db.cases.where('applicantKey').equals(r.idNumber).toArray()).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  // ---------- cases ----------

  async createCase(itemCode: string, residentId?: string): Promise<{ caseId: CaseId; number: string }> {
    const { db, store } = this.need()
    const item = (await this.catalogue()).find((i) => i.code === itemCode)
    if (!item) throw new Error(`unknown item ${itemCode}`)
    const created = await store.createCase(item)
    const resident = residentId ? await db.residents.get(residentId) : undefined
    if (resident) {
      const from = { name: resident.name, idNumber: resident.idNumber, phone: resident.phone, address: resident.address }
      const values: Record<string, string> = {}
      for (const f of item.fields) if (f.fromResident && from[f.fromResident]) values[f.id] = from[f.fromResident]
      if (Object.keys(values).length) await store.setFields(created.caseId, values)
    }
    this.changed()
    return created
  }

  async getCase(caseId: CaseId): Promise<CaseView | null> {
    const { db, store } = this.need()
    const row = await db.cases.get(caseId)
    if (!row) return null
    const doc = await store.doc(caseId)
    const meta = readMeta(doc)
    const item = meta.item ? ((await db.catalogue.get([meta.item, meta.itemVersion ?? 1])) ?? null) : null
    const pending = await db.outbox.where('caseId').equals(caseId).filter((o) => o.state === 'pending').sortBy('n')
    const photos = (await db.blobs.where('caseId').equals(caseId).toArray()).map((b) => ({ hash: b.hash, materialId: b.materialId }))
    return { id: caseId, item, meta, form: readForm(doc), materials: readMaterials(doc), notes: readNotes(doc), workflow: readWorkflow(doc), row, pendingCommands: pending.map((p) => p.command.type), photos }
  }

  setField(caseId: CaseId, fieldId: string, value: string | number | null): Promise<void> {
    return this.write(async () => {
      await this.need().store.setField(caseId, fieldId, value)
      this.changed()
    })
  }

  setMaterial(caseId: CaseId, materialId: string, state: MaterialState): Promise<void> {
    return this.write(async () => {
      await this.need().store.setMaterial(caseId, materialId, state)
      this.changed()
    })
  }

  async addPhoto(caseId: CaseId, materialId: string, file: Blob): Promise<string> {
    const photo = await processPhoto(file)
    return this.write(async () => {
      const hash = await this.need().store.addPhoto(caseId, materialId, photo.data, photo.mime, photo.thumb)
      this.changed()
      return hash
    })
  }

  async photo(hash: string, thumb = false): Promise<Blob | null> {
    const b = await this.need().db.blobs.get(hash)
    if (!b) return null
    const data = thumb && b.thumb ? b.thumb : b.data
    return data instanceof Blob ? data : new Blob([data as BlobPart], { type: b.mime })
  }

  addNote(caseId: CaseId, text: string): Promise<void> {
    return this.write(async () => {
      await this.need().store.addNote(caseId, text)
      this.changed()
    })
  }

  /** 收件: checks the case against its item and, when nothing blocks it, queues it for the township. */
  async takeIn(caseId: CaseId): Promise<{ ok: boolean; problems: CaseProblem[] }> {
    await this.flush() // judge what was typed, all of it
    const view = await this.getCase(caseId)
    if (!view?.item) throw new Error('unknown case or item')
    const problems = validateCase(view.item, view.form as Record<string, string>, view.materials)
    if (problems.some((p) => p.severity === 'error')) return { ok: false, problems }
    await this.command(caseId, { type: 'submit' })
    return { ok: true, problems }
  }

  async command(caseId: CaseId, command: CommandInput): Promise<void> {
    await this.need().store.queueCommand(caseId, command)
    this.changed()
    void this.scheduler?.syncNow()
  }

  listCases(query: CaseQuery, offset: number, limit: number) {
    return this.need().list.query(query, offset, limit)
  }

  caseCounts(): Promise<Record<ListFilter, number>> {
    return this.need().list.counts()
  }

  // ---------- storage ----------

  async exportUnsynced(): Promise<{ json: string; cases: number; commands: number; photos: number }> {
    return exportUnsynced(this.need().store)
  }

  async importFile(json: string): Promise<{ cases: number; commands: number; photos: number }> {
    const r = await importUnsynced(this.need().store, json)
    this.changed()
    return r
  }
}
