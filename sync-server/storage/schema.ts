import type { Generated } from 'kysely'

// Table types for Kysely. Times are milliseconds since the epoch; structured values are JSON text,
// so both SQLite and PostgreSQL store them the same way.

export interface SettingsTable {
  key: string
  value: string
}

export interface OrgUnitsTable {
  code: string
  name: string
  level: string
  parent: string | null
  data: string
}

export interface ItemsTable {
  code: string
  version: number
  data: string
}

export interface UsersTable {
  id: string
  username: string
  password_hash: string
  role: string
  scope: string
  display_name: string
  department: string | null
  disabled: number
  created_at: number
}

export interface LoginFailuresTable {
  key: string
  count: number
  last_at: number
}

export interface DevicesTable {
  id: string
  user_id: string
  village_code: string
  device_number: number
  public_key: string
  label: string
  created_at: number
  revoked_at: number | null
  highest_paper_seq_at_revocation: number | null
  /** Reported by the device with its last sync (migration 055). */
  app_version: string | null
  unsynced: number | null
  reported_at: number | null
  /** Since migration 065: when the revoked device reported that it erased its data. */
  erased_at?: number | null
}

export interface PapersTable {
  device_id: string
  seq: number
  digest: string
  case_id: string
  kind: string
  reprint: number
  issued_by: string
  issued_at: number
  received_at: number
}

export interface DeviceClocksTable {
  device_id: string
  offset_ms: number
  measured_at: number
}

export interface DeviceEscrowTable {
  device_id: string
  user_id: string
  /** base64 of 32 random bytes (the device's key-wrapping key for this account). */
  key: string
  created_at: number
}

export interface ArrangementsTable {
  year: number
  data: string
  loaded_by: string
  loaded_at: number
}

export interface CasesTable {
  id: string
  number: string
  item_code: string
  item_version: number
  village: string
  township: string
  county: string
  level: string
  department: string
  status: string
  deadline: string | null
  reached_county: number
  /** WorkflowState JSON: the authoritative workflow state. */
  state: string
  /** CaseSummary JSON for queue lists (masked personal data). */
  summary: string
  audience: number
  head_seq: number
  created_at: number
  updated_at: number
  // Queue routing (migration 030), see CaseRouting.
  open: number
  due: string
  due_kind: string
  due_estimated: number
  from_receipt: number
  paused: number
  assignee: string | null
  assignee_name: string | null
  assignee_until: number | null
  received_at: number | null
  received_by: string | null
  received_device: string | null
  submitted_on: string | null
  accepted_on: string | null
  completed_on: string | null
  closed_on: string | null
  kind: string
  returned: number
  on_time: number | null
  work_days: number | null
  trips: number | null
  rating: number | null
  name_key: string
}

export interface UpdatesTable {
  seq: Generated<number>
  case_id: string
  village: string
  township: string
  county: string
  audience: number
  origin: string
  device_id: string
  user_id: string
  data: Uint8Array
  created_at: number
}

export interface CommandsTable {
  id: string
  case_id: string
  user_id: string
  result: string
  created_at: number
}

export interface BatchesTable {
  user_id: string
  id: string
  response: Uint8Array
  created_at: number
}

export interface BlobsTable {
  hash: string
  size: number
  data: Uint8Array
  created_at: number
}

export interface BlobChunksTable {
  hash: string
  offset: number
  data: Uint8Array
  total: number
  updated_at: number
}

export interface BlobOwnersTable {
  hash: string
  user_id: string
  at: number
}

export interface BlobUploadsTable {
  hash: string
  user_id: string
  offset: number
  data: Uint8Array
  total: number
  updated_at: number
}

export interface CaseBlobsTable {
  case_id: string
  hash: string
}

export interface AuditTable {
  id: Generated<number>
  case_id: string
  seq: number | null
  user_id: string
  device_id: string
  action: string
  detail: string
  at: number
  /** sha256 of the previous row's hash and this row's content (migration 050). */
  hash: string | null
}

export interface SetupTokensTable {
  hash: string
  expires_at: number
  used_at: number | null
}

export interface PasswordResetsTable {
  user_id: string
  by: string
  at: number
}

export interface Database {
  cases: CasesTable
  updates: UpdatesTable
  commands: CommandsTable
  batches: BatchesTable
  blobs: BlobsTable
  blob_chunks: BlobChunksTable
  case_blobs: CaseBlobsTable
  blob_owners: BlobOwnersTable
  blob_uploads: BlobUploadsTable
  audit: AuditTable
  settings: SettingsTable
  org_units: OrgUnitsTable
  items: ItemsTable
  users: UsersTable
  login_failures: LoginFailuresTable
  devices: DevicesTable
  papers: PapersTable
  device_clocks: DeviceClocksTable
  arrangements: ArrangementsTable
  setup_tokens: SetupTokensTable
  password_resets: PasswordResetsTable
  device_escrow: DeviceEscrowTable
}
