// Security headers on every answer. The app needs no inline script or style element and no eval:
// scripts, workers and styles come from the server itself; photos are shown from blob: URLs and
// icons may be data: URLs; the live channel is a WebSocket to the same origin. Only the camera
// (photographing documents) is allowed among the powerful features, and no page may frame ours.

import { createHash } from 'node:crypto'

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The API viewer at /api/docs (Swagger UI, served from this server) sets styles from its script
 * and shows data: images: relaxed for that page only, scripts still only from this server.
 */
export const DOCS_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), display-capture=()',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
}

/** The CSP of a server-rendered page with its own `<style>` blocks: each allowed by its hash. */
export function cspForInlineStyles(html: string): string {
  const hashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`)
  return APP_CSP.replace("style-src 'self'", `style-src 'self' ${hashes.join(' ')}`)
}

/** API answers are data, never documents: nothing may load from them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'"

export function cspFor(pathname: string): string {
  if (pathname.startsWith('/api/')) return pathname === '/api/docs' || pathname.startsWith('/api/docs/') ? DOCS_CSP : API_CSP
  return APP_CSP
}
