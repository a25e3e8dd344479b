// Serves the built PWA. The HTML entry, the service worker and the manifest must be revalidated
// on every load (so a new version is found); hashed assets never change and are cached forever.
// Any other path that is not a file gets index.html, so client-side routes survive a reload.

import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { staticPathAllowed } from '../limits/source-maps'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

const NO_CACHE = /^\/(index\.html|sw\.js|registerSW\.js|manifest\.webmanifest|workbox-[^/]+\.js)?$/

export function cacheControlFor(pathname: string): string {
  if (pathname.startsWith('/assets/')) return 'public, max-age=31536000, immutable'
  if (NO_CACHE.test(pathname)) return 'no-cache'
  return 'public, max-age=3600'
}

async function fileAt(root: string, pathname: string): Promise<string | null> {
  const full = normalize(join(root, pathname))
  if (full !== root && !full.startsWith(root + sep)) return null
  try {
    const s = await stat(full)
    return s.isFile() ? full : null
  } catch {
    return null
  }
}

export function staticHandler(root: string, opts: { serveSourceMaps?: boolean } = {}) {
  const base = normalize(root)
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    if (!staticPathAllowed(pathname, opts.serveSourceMaps === true)) return false
    let file = await fileAt(base, pathname === '/' ? '/index.html' : pathname)
    let servedPath = pathname
    if (!file && !extname(pathname)) {
      file = await fileAt(base, '/index.html')
      servedPath = '/index.html'
    }
    if (!file) return false
    const s = await stat(file)
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': s.size,
      'cache-control': cacheControlFor(servedPath),
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') return void res.end(), true
    createReadStream(file).pipe(res)
    return true
  }
}
