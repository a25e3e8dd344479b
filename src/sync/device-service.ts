// Everything the app does with data, in one object that runs inside the Web Worker (see
// worker.ts) and is reached from the UI through Comlink. It signs in online or offline, keeps the
// device's cases, residents and photos, syncs in the background and answers the UI with small
// summaries, so the UI thread never waits on IndexedDB or Yjs.

import type { DexieOptions } from 'dexie'
import {
  maskForm,
  type FormValues,
  loadArrangements,
  type YearArrangement,
  MAX_TEXT,
  MAX_TRIPS,
  MAX_VOID_REASON,
  computeDerived,
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
import { CaseList, casesOfApplicant, type CaseQuery, type ListFilter } from '../store/case-list'
import { CaseStore, type CommandInput } from '../store/case-store'
import { getValue, openDb, setValue, type BlobRow, type CaseRow, type DaibanDB } from '../store/db'
import { DeviceDirectory, userDbName, type KnownUser } from '../store/directory'
import { randomId } from '../store/ids'
import { saveResident, searchResidents, type ResidentInput } from '../store/residents'
import { exportUnsynced, importUnsynced } from '../store/transfer'
import { enrolDevice, fetchArrangements, fetchCatalogue, type Login } from './device'
import { deviceKeys, sign } from './device-keys'
import { isSealedFile, openFile, sealFile } from '../store/transfer-seal'
import { printCasePaper, type PrintedPaper } from './paper-service'
import { openFromNumber, openFromScan, payloadOf, type PaperOpen } from './paper-open'
import { SyncEngine, LAST_SYNC, type SyncProgress, type SyncResult } from './engine'
import { checkVerifier } from './local-auth'
import { fetchEscrow, openKeys } from './account-keys'
import { KEY_ITERATIONS, openWithPassword, rewrapPassword } from './keyring'
import { lockStore, snapshotStore, unlockStore } from '../store/sealed-store'
import { eraseDevice, erasedAt, ERASED, reportErase } from './erase'
import { openPhoto, sealPhoto } from '../store/sealed-rows'
import { processPhoto } from './photos'
import { unsyncedSummary, type UnsyncedSummary } from './unsynced'
import { removePhoto, turnPhoto } from './photo-edit'
import { refreshDerived, writeField } from './field-writes'
import { listenForHints, type LiveHints } from './live-hints'
import { SyncScheduler, type SchedulerState } from './scheduler'
import { httpTransport, PASSWORD_CHANGE_REQUIRED, SyncHttpError } from './transport'
import { Desk, type OrgName as DeskOrgName } from './desk'
import { fetchOrgNames, fetchPhoto, readServerCase, readSupervision, type ServerCase, type ServerQueueRow, type ServerReads } from './server-reads'
export type { ServerCase, ServerQueueRow }
import type { QueueQuery } from '../store/queue'
import type { GroupBy } from '../store/service-metrics'
import type { DeliveryMethod, PaperKind, Rating } from '../core'

export interface DeviceEnv {
  baseUrl: string
  fetch?: typeof fetch
  dexie?: DexieOptions
  isOnline: () => boolean
  /** PBKDF2 iterations of the password key (keyring.ts; tests lower it). */
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

export type LoginResult =
  | { ok: true; session: SessionInfo }
  /** password_change_required: the sign-in goes on with `changePasswordAtSignIn`. */
  | { ok: false; code: 'wrong_credentials' | 'throttled' | 'first_login_needs_network' | 'server_error' | 'password_change_required'; message: string; retryAfter?: number }

export interface SyncStatus {
  online: boolean
  /** The server's change hints reach this device at once. */
  live: boolean
  unsynced: number
  /** Cases with anything not yet on the server, and photos still to upload (what the sync bar shows). */
  pending: UnsyncedSummary
  lastSuccess: string | null
  running: boolean
  lastError: string | null
  progress: SyncProgress | null
  /** The server refused the token: the password must be entered again (see unlock). */
  sessionExpired: boolean
  /** An administrator reset the password: the server takes nothing but a new one (see changePassword). */
  passwordChangeRequired: boolean
  /** The device was revoked and every account's data on it erased (the session is over). */
  erased: boolean
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
  photos: { hash: string; materialId: string; quality?: BlobRow['quality'] }[]
  /** Field ids shown masked (staff, until revealed). */
  masked: string[]
  /** What the item's rules find wrong with the case as it stands (for the clerk's review). */
  problems: CaseProblem[]
}

export interface DeliveryInput {
  method: DeliveryMethod
  trips: number
  rating: Rating | null
  comment: string
}

/** The working-day arrangements fetched from the server (kv key). */
const ARRANGEMENTS = 'calendar.arrangements'

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
  /** Set when the server refused the token; the password is never kept to renew it silently. */
  private sessionExpired = false
  /** The server answered password_change_required (an administrator's reset). */
  private passwordChangeRequired = false
  /** A sign-in waiting for the new password an administrator's reset requires (memory only). */
  private pendingChange: { username: string; token: string; password: string } | null = null
  private listeners = new Set<Listener>()
  private loadedYears: YearArrangement[] = []
  private progress: SyncProgress | null = null
  private session: SessionInfo | null = null
  private hints: LiveHints | null = null
  private desk: Desk | null = null
  private prunedAt = 0
  private watchers = 0
  private watched = new Map<number, Listener>()
  /** While locked (idle): whose data key was dropped, and the session to resume. */
  private lockedSession: SessionInfo | null = null
  /** Local writes run one after another, in the order the UI sent them. */
  private writes: Promise<unknown> = Promise.resolve()

  private erased = false

  constructor(private env: DeviceEnv) {
    this.directory = new DeviceDirectory(env.dexie)
  }

  /** When this device's data was erased after a revocation (shown at sign-in), else null. */
  erasedAt(): Promise<string | null> {
    return erasedAt(this.directory)
  }

  /** The user has read the erase notice. */
  async dismissErased(): Promise<void> {
    const at = await erasedAt(this.directory)
    const record = (await this.directory.settings.get(ERASED))?.value as { report: unknown } | undefined
    if (at && !record?.report) await this.directory.transaction('rw', this.directory.settings, () => this.directory.settings.delete(ERASED))
  }

  /** device_revoked: erases every account's data on this device, then reports it to the server. */
  private async eraseRevoked(): Promise<void> {
    const db = this.db
    const deviceId = this.session?.deviceId
    const userId = this.user?.userId
    const credential = db ? ((await db.kv.get('device.credential').catch(() => undefined))?.value as string | undefined) : undefined
    await this.close()
    await eraseDevice(this.directory, this.env.dexie, deviceId && userId && credential ? { deviceId, userId, credential } : null)
    this.erased = true
    await this.emit()
    await reportErase(this.directory, this.env.baseUrl, this.env.fetch)
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
    const answer = await res.json().catch(() => null)
    if (res.status === 403 && (answer as { error?: { code?: string } } | null)?.error?.code === PASSWORD_CHANGE_REQUIRED) this.setPasswordChangeRequired(true)
    return { status: res.status, body: answer }
  }

  private setPasswordChangeRequired(on: boolean): void {
    if (this.passwordChangeRequired === on) return
    this.passwordChangeRequired = on
    void this.emit()
  }

  /** Changes the signed-in user's password on the server, then the device's offline check. */
  async changePassword(current: string, next: string): Promise<{ ok: true } | { ok: false; problems: { field: string; code: string; message: string }[] }> {
    const r = await this.adminRequest('POST', '/api/account/password', { current, next })
    if (r.status !== 200) {
      const err = (r.body as { error?: { code: string; message: string; details?: { problems?: { field: string; code: string; message: string }[] } } } | null)?.error
      return { ok: false, problems: err?.details?.problems ?? [{ field: '', code: err?.code ?? 'failed', message: err?.message ?? `HTTP ${r.status}` }] }
    }
    // The data key, wrapped again under the new password (the escrow wrap stays as it is).
    const known = await this.directory.users.get(this.user!.username)
    const secret = known?.keys ? await openWithPassword(known.keys, current) : null
    if (known?.keys && secret) {
      const keys = await rewrapPassword(known.keys, secret, next, this.iterations())
      secret.fill(0)
      await this.directory.transaction('rw', this.directory.users, () => this.directory.users.update(known.username, { keys }))
    }
    this.setPasswordChangeRequired(false)
    void this.scheduler?.syncNow()
    return { ok: true }
  }

  /**
   * Finishes a sign-in the server held back for a new password (an administrator's reset): sets
   * it with the temporary password just entered, then signs in with the new one.
   */
  async changePasswordAtSignIn(current: string, next: string): Promise<LoginResult | { ok: false; problems: { field: string; code: string; message: string }[] }> {
    const pending = this.pendingChange
    if (!pending) return { ok: false, code: 'server_error', message: 'sign in first' }
    const res = await (this.env.fetch ?? fetch)(`${this.env.baseUrl}/api/account/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pending.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ current, next }),
    })
    if (res.status !== 200) {
      const err = ((await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: { problems?: { field: string; code: string; message: string }[] } } } | null)?.error
      return { ok: false, problems: err?.details?.problems ?? [{ field: '', code: err?.code ?? 'failed', message: err?.message ?? `HTTP ${res.status}` }] }
    }
    this.pendingChange = null
    return this.login(pending.username, next)
  }

  // ---------- accounts ----------

  async knownUsers(): Promise<{ username: string; displayName: string }[]> {
    return (await this.directory.users.orderBy('lastLogin').reverse().toArray()).map((u) => ({ username: u.username, displayName: u.displayName }))
  }

  async login(usernameInput: string, password: string): Promise<LoginResult> {
    const username = usernameInput.trim().toLowerCase()
    this.erased = false
    // An erase not yet reported goes at the next contact with the server.
    if (this.env.isOnline()) await reportErase(this.directory, this.env.baseUrl, this.env.fetch).catch(() => false)
    let online: Login | null = null
    if (this.env.isOnline()) {
      try {
        const r = await serverLogin(this.env, username, password)
        if ('token' in r && r.mustChangePassword) {
          // Nothing else is allowed until a new password is set: no enrolment, no sync.
          this.pendingChange = { username, token: r.token, password }
          return { ok: false, code: 'password_change_required', message: 'an administrator reset this password: choose a new one' }
        }
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
        ...(known?.keys ? { keys: known.keys } : known?.verifier ? { verifier: known.verifier } : {}),
        token: online.token,
        tokenExpiresAt: online.expiresAt,
        lastLogin: new Date().toISOString(),
      }
      await this.directory.transaction('rw', this.directory.users, () => this.directory.users.put(user))
      return this.open(user, false, password)
    }
    if (!known) return { ok: false, code: 'first_login_needs_network', message: 'the first sign-in on a device needs the network' }
    // Offline the password must open the data key (before encryption: match the old verifier).
    if (!known.keys && !(known.verifier && (await checkVerifier(password, known.verifier)))) return { ok: false, code: 'wrong_credentials', message: 'wrong password' }
    const opened = await this.open(known, true, password)
    if (opened.ok) await this.directory.transaction('rw', this.directory.users, () => this.directory.users.update(username, { lastLogin: new Date().toISOString() }))
    return opened
  }

  private iterations(): number {
    return this.env.pbkdf2Iterations ?? KEY_ITERATIONS
  }

  /** Idle lock: the data key and the personal data in memory are dropped until `unlock`. */
  async lock(): Promise<void> {
    if (!this.session) return
    await this.flush()
    const session = this.session
    if (this.db) await snapshotStore(this.db).catch(() => {})
    await this.close()
    this.lockedSession = session
  }

  /**
   * Checks the password of the signed-in user again (unlock after idle, or after the server
   * refused the token). When the token has expired or is about to, the password just entered
   * renews it; it is not kept afterwards.
   */
  async unlock(password: string): Promise<boolean> {
    const locked = this.lockedSession
    if (locked) {
      const known = await this.directory.users.get(locked.username)
      if (!known) return false
      const r = await this.open(known, true, password)
      if (!r.ok) {
        this.lockedSession = locked
        return false
      }
      this.lockedSession = null
      this.session = { ...r.session, offline: locked.offline }
    } else {
      if (!this.user) return false
      const known = await this.directory.users.get(this.user.username)
      const secret = known?.keys ? await openWithPassword(known.keys, password) : null
      secret?.fill(0)
      if (!secret) return false
    }
    if (!this.user) return false
    const expiresSoon = !this.user.tokenExpiresAt || Date.parse(this.user.tokenExpiresAt) - Date.now() < 30 * 60_000
    if (this.env.isOnline() && (this.sessionExpired || expiresSoon)) {
      const r = await serverLogin(this.env, this.user.username, password).catch(() => null)
      if (r && 'token' in r) {
        this.user = { ...this.user, token: r.token, tokenExpiresAt: r.expiresAt }
        await this.directory.transaction('rw', this.directory.users, () => this.directory.users.update(this.user!.username, { token: r.token, tokenExpiresAt: r.expiresAt }))
        this.sessionExpired = false
        void this.scheduler?.syncNow()
      }
    }
    return true
  }

  private async open(user: KnownUser, offline: boolean, password: string): Promise<LoginResult> {
    await this.close()
    this.lockedSession = null
    let db = openDb(userDbName(user.username), this.env.dexie)
    await db.open()
    const deviceId = ((await db.kv.get('device.id'))?.value as string | undefined) ?? `dev-${randomId(12)}`
    await setValue(db, 'device.id', deviceId)
    let deviceNumber = ((await db.kv.get('device.number'))?.value as number | undefined) ?? 0
    let credential = (await db.kv.get('device.credential'))?.value as string | undefined
    /** Every role enrols; the credential it receives goes with every sync (an older install enrols again for it). */
    const ensureEnrolled = async (token = this.user?.token): Promise<string | undefined> => {
      if (credential || !token) return credential
      const { publicJwk } = await deviceKeys(db)
      const e = await enrolDevice(this.env.baseUrl, token, deviceId, JSON.stringify(publicJwk), this.env.fetch)
      credential = e.credential
      if (!deviceNumber) {
        deviceNumber = e.deviceNumber
        await setValue(db, 'device.number', deviceNumber)
      }
      await setValue(db, 'device.credential', credential)
      return credential
    }
    if (!offline && user.token) {
      await ensureEnrolled(user.token)
      try {
        await db.catalogue.bulkPut(await fetchCatalogue(this.env.baseUrl, user.token, this.env.fetch))
      } catch {
        // keep the catalogue this device already has
      }
      try {
        await setValue(db, ARRANGEMENTS, await fetchArrangements(this.env.baseUrl, user.token, this.env.fetch))
      } catch {
        // keep the arrangements this device already has
      }
      void fetchOrgNames(this.reads(user.token))
        .then((names) => names && setValue(db, 'org.names', names))
        .catch(() => {}) // signed out meanwhile: the next sign-in fetches them
    }
    // Deadlines counted on this device (acceptance notice, time left) use the official years the
    // deployment loaded, so a loaded year loses its 预计 mark here too.
    try {
      this.loadedYears = (await getValue<YearArrangement[]>(db, ARRANGEMENTS)) ?? []
      loadArrangements(this.loadedYears)
    } catch {
      this.loadedYears = [] // not a valid arrangement: count on the bundled data
    }
    // The data key: by the password, or after a password reset by the device escrow key (online).
    const token = user.token
    let keys = await openKeys({
      keys: user.keys,
      password,
      iterations: this.iterations(),
      escrow: offline || !token ? null : async () => ((await ensureEnrolled(token)) ? fetchEscrow({ baseUrl: this.env.baseUrl, token, credential: credential!, deviceId, password }, this.env.fetch) : null),
    })
    if (!keys.ok && keys.code === 'wrong_password') {
      db.close()
      return { ok: false, code: 'wrong_credentials', message: 'wrong password' }
    }
    if (!keys.ok) {
      // Neither the password nor the escrow key opens this device's data (made offline before a
      // reset): it can never be read again, so it is erased and the account starts afresh here.
      await db.delete()
      db = openDb(userDbName(user.username), this.env.dexie)
      await db.open()
      await setValue(db, 'device.id', deviceId)
      if (deviceNumber) await setValue(db, 'device.number', deviceNumber)
      if (credential) await setValue(db, 'device.credential', credential)
      keys = await openKeys({ keys: undefined, password, iterations: this.iterations(), escrow: null })
      if (!keys.ok) throw new Error('new keys always open')
    }
    if (keys.changed) {
      const { verifier: _old, ...rest } = user
      user = { ...rest, keys: keys.keys }
      const saved = user
      await this.directory.transaction('rw', this.directory.users, () => this.directory.users.put(saved))
    }
    const unlocked = await unlockStore(db, keys.sealer)
    const store = new CaseStore(db, { deviceId, deviceNumber, userId: user.userId as UserId, role: user.role, scope: user.scope })
    const names = new Map((await db.catalogue.toArray()).map((i) => [i.code as string, i.name]))
    const transport = httpTransport({
      baseUrl: this.env.baseUrl,
      token: () => this.user?.token ?? '',
      deviceCredential: () => ensureEnrolled(),
      ...(this.env.fetch ? { fetch: this.env.fetch } : {}),
    })
    const engine = new SyncEngine(store, transport, { itemName: (c) => names.get(c), onProgress: (p) => this.setProgress(p) })
    this.db = db
    this.store = store
    this.engine = engine
    this.list = new CaseList(db)
    this.list.prime(unlocked.cases)
    // Rows opened one by one this time are opened from one snapshot next time.
    if (unlocked.stale > 0) void snapshotStore(db).catch(() => {})
    this.desk = new Desk(db, store, { role: user.role, userId: user.userId })
    this.user = user
    this.sessionExpired = false
    this.scheduler = new SyncScheduler({
      sync: () => this.runSync(),
      isOnline: this.env.isOnline,
      ...(this.env.syncIntervalMs ? { intervalMs: this.env.syncIntervalMs } : {}),
      onState: () => void this.emit(),
    })
    this.scheduler.start()
    this.hints = listenForHints(
      this.env.baseUrl,
      () => this.user?.token ?? '',
      () => void this.scheduler?.syncNow(),
      () => void this.emit(),
      () => credential,
    )
    this.session = { username: user.username, userId: user.userId, displayName: user.displayName, role: user.role, scope: user.scope, deviceId, deviceNumber, offline }
    return { ok: true, session: this.session }
  }

  /** Syncs; a refused token asks the user for the password again (the app shows the lock screen). */
  private async runSync(): Promise<void> {
    const engine = this.engine
    if (!engine || !this.user) return
    let result: SyncResult | null = null
    try {
      result = await engine.sync()
    } catch (e) {
      if (e instanceof SyncHttpError && e.code === 'device_revoked') {
        await this.eraseRevoked()
        return
      }
      if (e instanceof SyncHttpError && e.status === 401) {
        this.sessionExpired = true
        void this.emit()
      }
      if (e instanceof SyncHttpError && e.code === PASSWORD_CHANGE_REQUIRED) this.setPasswordChangeRequired(true)
      throw e
    } finally {
      // A staff device keeps open cases and the last 30 days of decided ones (checked hourly).
      if (this.user && this.user.role !== 'agent' && Date.now() - this.prunedAt > 3_600_000) {
        this.prunedAt = Date.now()
        await this.desk?.prune().catch(() => 0)
      }
      this.list?.invalidate()
      // Queue answers stay cached across syncs that brought nothing.
      if (!result || result.pulled + result.commandsAnswered + result.pushedCases + result.rejected > 0) this.desk?.invalidate()
      this.progress = null
    }
  }

  currentSession(): SessionInfo | null {
    return this.session
  }

  /** The working-day arrangements this device holds, for the UI thread's own calendar. */
  arrangements(): YearArrangement[] {
    return this.loadedYears
  }

  /** Refused while anything is unsynced: signing out would strand it on this device. */
  async logout(force = false): Promise<{ ok: true } | { ok: false; unsynced: number }> {
    const unsynced = (await this.engine?.pendingCount()) ?? 0
    if (unsynced > 0 && !force) return { ok: false, unsynced }
    if (this.db) await snapshotStore(this.db).catch(() => {})
    await this.close()
    return { ok: true }
  }

  private async close(): Promise<void> {
    this.hints?.close()
    this.hints = null
    this.scheduler?.stop()
    this.db?.close()
    if (this.db) lockStore(this.db)
    this.lockedSession = null
    this.db = this.store = this.engine = this.scheduler = this.list = this.desk = null
    this.user = null
    this.sessionExpired = false
    this.passwordChangeRequired = false
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

  /** For screens that come and go: `unsubscribe(id)` stops the updates. */
  watch(listener: Listener): number {
    const id = ++this.watchers
    const wrapped: Listener = (s) => listener(s)
    this.watched.set(id, wrapped)
    this.subscribe(wrapped)
    return id
  }

  unsubscribe(id: number): void {
    const l = this.watched.get(id)
    if (l) this.listeners.delete(l)
    this.watched.delete(id)
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
      pending: this.db ? await unsyncedSummary(this.db) : { cases: 0, photos: 0, photoBytes: 0 },
      lastSuccess: this.db ? (((await this.db.kv.get(LAST_SYNC))?.value as string | undefined) ?? null) : null,
      running: s?.running ?? false,
      lastError: s?.lastError ?? null,
      progress: this.progress,
      sessionExpired: this.sessionExpired,
      passwordChangeRequired: this.passwordChangeRequired,
      erased: this.erased,
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
    this.desk?.invalidate()
    void this.emit()
  }

  // ---------- catalogue and residents ----------

  async catalogue(): Promise<ServiceItem[]> {
    const all = await this.need().db.catalogue.toArray()
    const newest = new Map<string, ServiceItem>()
    for (const i of all) if ((newest.get(i.code)?.version ?? 0) < i.version) newest.set(i.code, i)
    return [...newest.values()]
  }

  /** The residents' fields are opened into memory behind the first list rows (sealed-store.ts). */
  private async residentsReady(): Promise<DaibanDB> {
    const { db } = this.need()
    await db.personal.residents?.ensure()
    return db
  }

  async searchResidents(query: string, limit?: number) {
    return searchResidents(await this.residentsReady(), query, limit)
  }

  async getResident(id: string) {
    return (await this.residentsReady()).residents.get(id)
  }

  saveResident(input: ResidentInput) {
    return saveResident(this.need().db, this.session?.scope ?? '', input)
  }

  async residentCases(id: string) {
    const db = await this.residentsReady()
    const r = await db.residents.get(id)
    if (!r) return []
    return (await casesOfApplicant(db, r.idNumber)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  // ---------- cases ----------

  async createCase(itemCode: string, residentId?: string): Promise<{ caseId: CaseId; number: string }> {
    const { db, store } = this.need()
    const item = (await this.catalogue()).find((i) => i.code === itemCode)
    if (!item) throw new Error(`unknown item ${itemCode}`)
    const created = await store.createCase(item)
    const resident = residentId ? await (await this.residentsReady()).residents.get(residentId) : undefined
    if (resident) {
      const from = { name: resident.name, idNumber: resident.idNumber, phone: resident.phone, address: resident.address }
      const values: Record<string, string> = {}
      for (const f of item.fields) if (f.fromResident && from[f.fromResident]) values[f.id] = from[f.fromResident]
      if (Object.keys(values).length) await store.setFields(created.caseId, { ...values, ...computeDerived(item.fields, values) })
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
    const photos = (await db.blobs.where('caseId').equals(caseId).toArray()).map((b) => ({ hash: b.hash, materialId: b.materialId, ...(b.quality ? { quality: b.quality } : {}) }))
    // Staff see personal numbers masked until they reveal them (each reveal is recorded).
    const full = readForm(doc)
    const { form, masked } = this.session?.role === 'agent' ? { form: full, masked: [] } : maskForm(item?.fields ?? [], full as FormValues)
    const materials = readMaterials(doc)
    const problems = item ? validateCase(item, full as Record<string, string>, materials) : []
    return { id: caseId, item, meta, form, materials, notes: readNotes(doc), workflow: readWorkflow(doc), row, pendingCommands: pending.map((p) => p.command.type), photos, masked, problems }
  }

  /**
   * The masked values in full. Online, the server's case API reveals them and writes its audit
   * trail (with the reason); offline or without that API, the device shows its own copy and records
   * the reveal as a note on the case, which reaches the server's audit trail when it syncs.
   */
  async reveal(caseId: CaseId, reason: string, noteText: string): Promise<{ values: Record<string, unknown>; audited: 'server' | 'note' }> {
    const { store } = this.need()
    const view = await this.getCase(caseId)
    if (!view?.masked.length) return { values: {}, audited: 'note' }
    const remote = await readServerCase(this.reads(), caseId, reason)
    if (remote?.revealed) return { values: Object.fromEntries(view.masked.map((k) => [k, remote.form[k]])), audited: 'server' }
    const full = readForm(await store.doc(caseId))
    await this.write(() => this.desk!.recordReveal(caseId, noteText))
    this.changed()
    return { values: Object.fromEntries(view.masked.map((k) => [k, full[k]])), audited: 'note' }
  }

  setField(caseId: CaseId, fieldId: string, value: string | number | null): Promise<void> {
    return this.write(async () => {
      await writeField(this.need().db, this.need().store, caseId, fieldId, value)
      this.changed()
    })
  }

  setMaterial(caseId: CaseId, materialId: string, state: MaterialState): Promise<void> {
    return this.write(async () => {
      await this.need().store.setMaterial(caseId, materialId, state)
      this.changed()
    })
  }

  /** Throws for a file that is not a readable image (the UI says so at once). */
  async addPhoto(caseId: CaseId, materialId: string, file: Blob): Promise<string> {
    const photo = await processPhoto(file)
    return this.write(async () => {
      const { db, store } = this.need()
      const hash = await store.addPhoto(caseId, materialId, photo.data, photo.mime, photo.thumb)
      if (photo.quality) await db.blobs.update(hash, { quality: photo.quality })
      this.changed()
      return hash
    })
  }

  /** Before take-in only: turn a photo a quarter clockwise, or take it off the material. */
  rotatePhoto(caseId: CaseId, materialId: string, hash: string): Promise<string> {
    return this.write(async () => {
      const next = await turnPhoto(this.need().db, this.need().store, caseId, materialId, hash)
      this.changed()
      return next
    })
  }

  removePhoto(caseId: CaseId, materialId: string, hash: string): Promise<void> {
    return this.write(async () => {
      await removePhoto(this.need().db, this.need().store, caseId, materialId, hash)
      this.changed()
    })
  }

  async photo(hash: string, thumb = false, from?: { caseId: CaseId; materialId: string }): Promise<Blob | null> {
    const { db } = this.need()
    let b = await db.blobs.get(hash)
    if (!b && from) {
      // A photo taken on another device (the agent's): fetched once from the server, then kept.
      const data = await fetchPhoto(this.reads(), hash)
      if (!data) return null
      b = { hash, caseId: from.caseId, materialId: from.materialId, mime: 'image/jpeg', size: data.byteLength, ...(await sealPhoto(db, data)), uploaded: 1 }
      await db.transaction('rw', db.blobs, () => db.blobs.put(b!))
    }
    if (!b) return null
    return new Blob([(await openPhoto(db, b, thumb)) as BlobPart], { type: b.mime })
  }

  addNote(caseId: CaseId, text: string): Promise<void> {
    return this.write(async () => {
      await this.need().store.addNote(caseId, text)
      this.changed()
    })
  }

  /** Prints a paper of the case: signed with the device key, recorded in the case (see paper-service.ts). */
  printPaper(caseId: CaseId, kind: PaperKind): Promise<PrintedPaper> {
    return this.write(async () => {
      const { db, store } = this.need()
      const printed = await printCasePaper({ db, store, displayName: this.user?.displayName ?? '', sign: (data) => sign(db, data) }, caseId, kind)
      this.changed()
      return printed
    })
  }

  /** 收件: checks the case against its item and, when nothing blocks it, queues it for the township. */
  async takeIn(caseId: CaseId): Promise<{ ok: boolean; problems: CaseProblem[] }> {
    await this.flush() // judge what was typed, all of it
    await this.write(() => refreshDerived(this.need().db, this.need().store, caseId))
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

  async listCases(query: CaseQuery, offset: number, limit: number) {
    const { db, list } = this.need()
    const rows = await list.query(query, offset, limit)
    // The first rows are out: now the residents' fields (sealed-store.ts).
    setTimeout(() => void db.personal.residents?.ensure().catch(() => null), 50)
    return rows
  }

  caseCounts(): Promise<Record<ListFilter, number>> {
    return this.need().list.counts()
  }

  // ---------- staff desk and agent tasks ----------

  private reads(token = this.user?.token ?? ''): ServerReads {
    return { baseUrl: this.env.baseUrl, token, online: this.env.isOnline(), ...(this.env.fetch ? { fetch: this.env.fetch } : {}) }
  }

  /** Scan to open: a scanned QR text or a typed case number → the case to open (paper-open.ts). */
  openPaper(text: string): Promise<PaperOpen> {
    return payloadOf(text) ? openFromScan(this.reads(), text) : openFromNumber(this.need().db, text)
  }

  /** A case this device does not hold, read-only from the server; null offline or when refused. */
  serverCase(ref: string): Promise<ServerCase | null> {
    return readServerCase(this.reads(), ref)
  }

  /** The county's supervision list from the server (township cases too); null when unavailable. */
  serverSupervision(): Promise<ServerQueueRow[] | null> {
    return readSupervision(this.reads())
  }

  private needDesk(): Desk {
    this.need()
    return this.desk!
  }

  queue(q: QueueQuery, offset: number, limit: number) {
    return this.needDesk().queue(q, offset, limit)
  }

  queueOrder(q: QueueQuery) {
    return this.needDesk().order(q)
  }

  queueFacets() {
    return this.needDesk().facets()
  }

  batches(days?: number) {
    return this.needDesk().batches(days)
  }

  async orgNames(): Promise<DeskOrgName[]> {
    return ((await this.need().db.kv.get('org.names'))?.value as DeskOrgName[] | undefined) ?? []
  }

  /** Accepts every waiting case of a batch (each its own command, each answered on its own). */
  async bulkAccept(caseIds: CaseId[]): Promise<number> {
    const { store } = this.need()
    for (const id of caseIds) await store.queueCommand(id, { type: 'accept' })
    this.changed()
    void this.scheduler?.syncNow()
    return caseIds.length
  }

  refusals() {
    return this.needDesk().refusals()
  }

  async dismissRefusal(id: string): Promise<void> {
    await this.needDesk().dismissRefusal(id)
    this.changed()
  }

  tasks() {
    return this.needDesk().tasks()
  }

  async dismissTask(caseId: CaseId): Promise<void> {
    await this.needDesk().dismissTask(caseId)
  }

  /** 送达: the delivery, the resident's trips in person and their rating, queued in that order. */
  async deliver(caseId: CaseId, d: DeliveryInput): Promise<void> {
    const { store } = this.need()
    await this.write(async () => {
      await store.queueCommand(caseId, { type: 'deliver', method: d.method, trips: Math.max(0, Math.min(MAX_TRIPS, Math.trunc(d.trips))) })
      if (d.rating) await store.queueCommand(caseId, { type: 'rate', rating: d.rating, ...(d.comment.trim() ? { comment: d.comment.trim().slice(0, 2000) } : {}) })
    })
    this.changed()
    void this.scheduler?.syncNow()
  }

  async rate(caseId: CaseId, rating: Rating, comment: string): Promise<void> {
    await this.command(caseId, { type: 'rate', rating, ...(comment.trim() ? { comment: comment.trim().slice(0, 2000) } : {}) })
  }

  /** The township's answer to a bad rating (verified, rectified, told to the resident). */
  async answerFollowUp(caseId: CaseId, text: string): Promise<void> {
    await this.command(caseId, { type: 'answerFollowUp', answer: text.trim().slice(0, MAX_TEXT) })
  }

  /** An administrator voids a mistaken or malicious rating, with the reason. */
  async voidRating(caseId: CaseId, reason: string): Promise<void> {
    await this.command(caseId, { type: 'voidRating', reason: reason.trim().slice(0, MAX_VOID_REASON) })
  }

  metrics(from: string, to: string, groupBy: GroupBy, labels: Record<string, string>) {
    return this.needDesk().metrics(from, to, groupBy, (k) => labels[k] ?? k)
  }

  metricsCsv(kind: 'cases' | 'metrics', from: string, to: string, groupBy: GroupBy, header: string[], labels: Record<string, string>) {
    return this.needDesk().csv(kind, from, to, groupBy, header, (k) => labels[k] ?? k, (s) => labels[`status.${s}`] ?? s)
  }

  // ---------- storage ----------

  /** The export file, encrypted with the passphrase the agent typed (transfer-seal.ts). */
  async exportUnsynced(passphrase: string): Promise<{ json: string; cases: number; commands: number; photos: number }> {
    const r = await exportUnsynced(this.need().store)
    return { ...r, json: await sealFile(r.json, passphrase, this.env.pbkdf2Iterations ? Math.max(100_000, this.env.pbkdf2Iterations) : undefined) }
  }

  /** An export file: encrypted (needs its passphrase) or, from an older version, plain. */
  async importFile(text: string, passphrase = ''): Promise<{ cases: number; commands: number; photos: number }> {
    const json = isSealedFile(text) ? await openFile(text, passphrase) : text
    const r = await importUnsynced(this.need().store, json)
    this.changed()
    return r
  }
}
