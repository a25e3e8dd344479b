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
}

export interface ArrangementsTable {
  year: number
  data: string
  loaded_by: string
  loaded_at: number
}

export interface Database {
  settings: SettingsTable
  org_units: OrgUnitsTable
  items: ItemsTable
  users: UsersTable
  login_failures: LoginFailuresTable
  devices: DevicesTable
  arrangements: ArrangementsTable
}
