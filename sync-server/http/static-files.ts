// Serves the built PWA for slow links. Text assets are compressed at build time (brotli and gzip
// files beside each one, scripts/vite-precompress.ts); the answer picks the smallest the client
// accepts, never compressing per request. Every file has a strong ETag (a hash of its content)
// and a revalidation answers 304. The HTML entry, the service worker and the manifest are
// revalidated on every load (so a new version is found); hashed assets never change and are
// cached for a year. Any other path without an extension gets index.html (client-side routes).

import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
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

interface Variant {
  file: string
  size: number
  encoding: 'br' | 'gzip' | null
}

interface Entry {
  mtimeMs: number
  size: number
  etag: string
  variants: Variant[]
}

async function fileAt(root: string, pathname: string): Promise<{ full: string; mtimeMs: number; size: number } | null> {
  const full = normalize(join(root, pathname))
  if (full !== root && !full.startsWith(root + sep)) return null
  try {
    const s = await stat(full)
    return s.isFile() ? { full, mtimeMs: s.mtimeMs, size: s.size } : null
  } catch {
    return null
  }
}

/** Which encodings the client takes, best first (q=0 refuses one). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>()
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean)
    if (name && (q === undefined || Number(q) > 0)) out.add(name)
  }
  return out
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((t) => {
    const v = t.trim()
    return v === '*' || v === etag || v === `W/${etag}`
  })
}

export function staticFiles(root: string, opts: { serveSourceMaps?: boolean } = {}) {
  const base = normalize(root)
  const cache = new Map<string, Entry>()

  async function entryOf(full: string, mtimeMs: number, size: number): Promise<Entry> {
    const known = cache.get(full)
    if (known && known.mtimeMs === mtimeMs && known.size === size) return known
    const etag = `"${createHash('sha256').update(await readFile(full)).digest('base64url').slice(0, 27)}"`
    const variants: Variant[] = []
    for (const [suffix, encoding] of [['.br', 'br'], ['.gz', 'gzip']] as const) {
      const v = await fileAt(base, full.slice(base.length) + suffix)
      if (v && v.mtimeMs >= mtimeMs && v.size < size) variants.push({ file: v.full, size: v.size, encoding })
    }
    variants.push({ file: full, size, encoding: null })
    const entry = { mtimeMs, size, etag, variants }
    cache.set(full, entry)
    return entry
  }

  /** Answers a GET/HEAD for a file of the build; false when there is none (the caller answers 404). */
  return async function serve(request: FastifyRequest, reply: FastifyReply, pathname: string): Promise<boolean> {
    if (!staticPathAllowed(pathname, opts.serveSourceMaps === true)) return false
    if (/\.(br|gz)$/.test(pathname)) return false
    let found = await fileAt(base, pathname === '/' ? '/index.html' : pathname)
    let servedPath = pathname
    if (!found && !extname(pathname)) {
      found = await fileAt(base, '/index.html')
      servedPath = '/index.html'
    }
    if (!found) return false
    const entry = await entryOf(found.full, found.mtimeMs, found.size)
    reply.header('cache-control', cacheControlFor(servedPath))
    reply.header('etag', entry.etag)
    reply.header('vary', 'accept-encoding')
    reply.type(TYPES[extname(found.full)] ?? 'application/octet-stream')
    if (etagMatches(request.headers['if-none-match'], entry.etag)) {
      reply.code(304).send()
      return true
    }
    const accepted = acceptedEncodings(request.headers['accept-encoding'])
    const pick = entry.variants.find((v) => v.encoding === null || accepted.has(v.encoding))!
    if (pick.encoding) reply.header('content-encoding', pick.encoding)
    reply.header('content-length', String(pick.size))
    if (request.method === 'HEAD') {
      reply.send()
      return true
    }
    reply.send(createReadStream(pick.file))
    return true
  }
}
