// What a device reads from the server besides sync: names of the org units, photos another device
// took, and (for staff) the server's case and supervision APIs where the device's own store cannot
// answer. Every read tolerates being offline or the API being absent: it answers null.

export interface ServerReads {
  baseUrl: string
  token: string
  online: boolean
  fetch?: typeof fetch
}

/** A case as the server's case API answers it (read-only on this device). */
export interface ServerCase {
  id: string
  number: string
  village: string
  item: { code: string; version: number; name: string }
  status: string
  due: string | null
  estimated: boolean
  timeLeft: string
  form: Record<string, unknown>
  maskedFields: string[]
  revealed: boolean
  materials: Record<string, { status?: string; copies?: number }>
  photos: { hash: string; present: boolean }[]
  notes: { id?: string; at?: string; role?: string; text?: string }[]
  events: { id?: string; type?: string; at?: string; role?: string; status?: string }[]
}

/** A row of the server's queue API. */
export interface ServerQueueRow {
  id: string
  number: string
  village: string
  itemName: string
  status: string
  applicant: string
  due: string | null
  estimated: boolean
  timeLeft: 'on_track' | 'due_soon' | 'overdue' | 'paused' | 'none'
}

async function get(r: ServerReads, path: string): Promise<Response | null> {
  if (!r.online) return null
  try {
    const res = await (r.fetch ?? fetch)(`${r.baseUrl}${path}`, { headers: { authorization: `Bearer ${r.token}` } })
    return res.ok ? res : null
  } catch {
    return null
  }
}

async function getJson(r: ServerReads, path: string): Promise<unknown> {
  try {
    return (await (await get(r, path))?.json()) ?? null
  } catch {
    return null
  }
}

export async function fetchOrgNames(r: ServerReads): Promise<{ code: string; name: string }[] | null> {
  const units = ((await getJson(r, '/api/org')) as { units?: { code: string; name: string }[] } | null)?.units
  return Array.isArray(units) ? units.map((u) => ({ code: String(u.code), name: String(u.name) })) : null
}

export async function fetchPhoto(r: ServerReads, hash: string): Promise<Uint8Array | null> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return null
  const res = await get(r, `/api/blobs/${hash}`)
  try {
    return res ? new Uint8Array(await res.arrayBuffer()) : null
  } catch {
    return null
  }
}

/** One case from GET /api/cases/{id or number}; with a reason, its personal numbers in full (audited there). */
export async function readServerCase(r: ServerReads, ref: string, revealReason?: string): Promise<ServerCase | null> {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(ref)) return null
  const query = revealReason ? `?reveal=true&reason=${encodeURIComponent(revealReason.slice(0, 200))}` : ''
  const c = ((await getJson(r, `/api/cases/${ref}${query}`)) as { case?: ServerCase } | null)?.case
  return c && typeof c.id === 'string' && typeof c.number === 'string' && typeof c.status === 'string' && typeof c.form === 'object' && Array.isArray(c.events) && Array.isArray(c.maskedFields) && typeof c.materials === 'object' ? c : null
}

/** The county's 督办 list from GET /api/queue?view=supervision. */
export async function readSupervision(r: ServerReads): Promise<ServerQueueRow[] | null> {
  const rows = ((await getJson(r, '/api/queue?view=supervision&limit=200')) as { rows?: ServerQueueRow[] } | null)?.rows
  return Array.isArray(rows) ? rows.filter((x) => typeof x?.id === 'string' && typeof x.number === 'string') : null
}
