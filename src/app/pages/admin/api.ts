// Administration calls go through the worker, which holds the sign-in token.
import { getDevice } from '../../device'

export type AdminAnswer<T> = { ok: true; data: T } | { ok: false; status: number; code: string; message: string; details: unknown }

export async function adminCall<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<AdminAnswer<T>> {
  if (!navigator.onLine) return { ok: false, status: 0, code: 'offline', message: 'offline', details: null }
  const r = await getDevice().adminRequest(method, path, body)
  const b = r.body as { ok?: boolean; error?: { code: string; message: string; details?: unknown } } | null
  if (r.status < 300 && b?.ok) return { ok: true, data: b as T }
  return { ok: false, status: r.status, code: b?.error?.code ?? 'failed', message: b?.error?.message ?? `HTTP ${r.status}`, details: b?.error?.details ?? null }
}

export const fmtTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '')
