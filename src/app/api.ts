// The PWA's calls to the sync server's JSON API. Failures come back as data, never as throws,
// so every screen can say what went wrong.

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string; retryAfter?: number }

export interface SessionUser {
  id: string
  username: string
  displayName: string
  role: 'agent' | 'township' | 'county' | 'admin'
  scope: string
}

export interface Session {
  token: string
  expiresAt: string
  user: SessionUser
}

async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<ApiResult<T>> {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  let res: Response
  try {
    res = await fetch(path, { ...init, headers })
  } catch (e) {
    return { ok: false, status: 0, code: 'offline', message: String(e) }
  }
  let body: { ok?: boolean; error?: { code: string; message: string } } & Record<string, unknown>
  try {
    body = await res.json()
  } catch {
    return { ok: false, status: res.status, code: 'bad_response', message: `HTTP ${res.status}` }
  }
  if (!res.ok || body.ok === false) {
    const retry = Number(res.headers.get('retry-after'))
    return {
      ok: false,
      status: res.status,
      code: body.error?.code ?? 'error',
      message: body.error?.message ?? `HTTP ${res.status}`,
      ...(retry ? { retryAfter: retry } : {}),
    }
  }
  return { ok: true, value: body as T }
}

export function login(username: string, password: string): Promise<ApiResult<Session>> {
  return call<Session>('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
}

export function fetchCatalogue<Item>(token: string): Promise<ApiResult<{ items: Item[] }>> {
  return call('/api/catalogue', { token })
}
