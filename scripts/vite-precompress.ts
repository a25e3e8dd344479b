// Vite plugin: after the build (and after vite-plugin-pwa has written the service worker), writes
// a brotli (.br) and a gzip (.gz) file beside every text asset of the output folder, so the server
// sends compressed bytes without compressing per request (sync-server/http/static-files.ts).
// A variant that would not be smaller is not written.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin, ResolvedConfig } from 'vite'

const TEXT = /\.(html|js|mjs|css|json|webmanifest|svg|txt|map)$/i
const MIN_BYTES = 256

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) yield* files(full)
    else yield full
  }
}

export function precompressDir(dir: string): { files: number; raw: number; br: number; gz: number } {
  const total = { files: 0, raw: 0, br: 0, gz: 0 }
  for (const file of [...files(dir)]) {
    if (!TEXT.test(file)) continue
    const data = readFileSync(file)
    if (data.length < MIN_BYTES) continue
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } })
    const gz = gzipSync(data, { level: 9 })
    if (br.length < data.length) writeFileSync(`${file}.br`, br)
    if (gz.length < data.length) writeFileSync(`${file}.gz`, gz)
    total.files++
    total.raw += data.length
    total.br += Math.min(br.length, data.length)
    total.gz += Math.min(gz.length, data.length)
  }
  return total
}

export function precompress(): Plugin {
  let config: ResolvedConfig
  return {
    name: 'daiban-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(c) {
      config = c
    },
    // Runs once everything is written, the service worker included (vite-plugin-pwa writes it in closeBundle).
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        if (config.build.ssr) return
        const out = join(config.root, config.build.outDir)
        const t = precompressDir(out)
        config.logger.info(`precompressed ${t.files} files: ${t.raw} B → br ${t.br} B, gzip ${t.gz} B`)
      },
    },
  }
}
