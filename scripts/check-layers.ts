// Fails when the layering of DESIGN.md breaks:
//  - src/core imports only src/core files and a few isomorphic packages (no DOM, Node, Dexie, Preact);
//  - nothing in src/ imports sync-server/;
//  - sync-server/ imports nothing from src/ but src/core.
// DOM-only and Node-only globals in src/core are caught by type-checking it without DOM or Node types
// (src/core/tsconfig.json); this script checks the import graph.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const CORE_PACKAGES = [/^yjs$/, /^lib0(\/.*)?$/, /^chinese-days\/dist\/chinese-days\.json$/]
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) yield* files(full)
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) yield full
  }
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean)
}

const problems: string[] = []
const rel = (p: string) => relative(ROOT, p)

function check(dir: string, rule: (spec: string, target: string | null, file: string) => string | null) {
  for (const file of files(join(ROOT, dir)))
    for (const spec of importsOf(file)) {
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null
      const problem = rule(spec, target, file)
      if (problem) problems.push(`${rel(file)}: imports '${spec}': ${problem}`)
    }
}

const inside = (target: string, dir: string) => rel(target) === dir || rel(target).startsWith(dir + '/')

check('src/core', (spec, target) => {
  if (target) return inside(target, 'src/core') ? null : 'src/core may import only src/core'
  return CORE_PACKAGES.some((p) => p.test(spec)) ? null : 'src/core must stay pure and isomorphic (no DOM, Node, Dexie or Preact packages)'
})
check('src', (_spec, target) => (target && inside(target, 'sync-server') ? 'the PWA must not import the server' : null))
check('sync-server', (_spec, target) =>
  target && inside(target, 'src') && !inside(target, 'src/core') ? 'the server may import only src/core from src/' : null,
)

if (problems.length) {
  console.error(`layering broken (${problems.length}):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('layering ok')
