// The queue, paper and administration messages load with the screens that show them (lazyPage's
// areas, or a component that loads its own with loadMessages): this follows each screen's static
// imports and checks that every message key it can show is loaded with it, so no screen ever
// shows a raw key such as "paper.scan.start".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from 'vitest'

const APP = 'src/app'
const AREAS = { queue: 'queue.screens', paper: 'paper', admin: 'admin' } as const
type Area = keyof typeof AREAS

const keysOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s+'([\w.]+)':/gm)].map((m) => m[1]!)
const first = new Set([...keysOf(`${APP}/i18n/zh-CN.ts`), ...readdirSync(`${APP}/i18n/areas`).filter((f) => /^(intake|queue)\.zh-CN\.ts$/.test(f)).flatMap((f) => keysOf(`${APP}/i18n/areas/${f}`))])
const areaOf = new Map<string, Area>()
for (const area of Object.keys(AREAS) as Area[]) for (const k of keysOf(`${APP}/i18n/areas/${AREAS[area]}.zh-CN.ts`)) if (!first.has(k)) areaOf.set(k, area)

function resolve(from: string, spec: string): string | null {
  const base = normalize(join(dirname(from), spec))
  for (const f of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) if (f.startsWith(APP) && existsSync(f) && statSync(f).isFile()) return f
  return null
}

/** The lazily loaded areas a module and its static imports show, apart from those a component loads itself. */
function areasShown(entry: string, seen = new Set<string>()): Map<Area, string[]> {
  const out = new Map<Area, string[]>()
  if (seen.has(entry) || entry.includes('/i18n/')) return out
  seen.add(entry)
  const src = readFileSync(entry, 'utf8')
  const selfLoaded = new Set([...src.matchAll(/loadMessages\(([^)]*)\)|use(\w+)Messages\(\)/g)].flatMap((m) => (m[1] ?? m[2]!.toLowerCase()).match(/\w+/g) ?? []))
  const used = [...src.matchAll(/\bt[k]?\(\s*'([\w.]+)'/g)].map((m) => m[1]!)
  const prefixes = [...src.matchAll(/\bt[k]?\(\s*`([\w.]+)\$\{/g)].map((m) => m[1]!)
  for (const [key, area] of areaOf)
    if ((used.includes(key) || prefixes.some((p) => key.startsWith(p))) && !selfLoaded.has(area)) out.set(area, [...(out.get(area) ?? []), `${entry}: ${key}`])
  for (const m of src.matchAll(/^import (?!type )[^'"]*['"](\.[^'"]+)['"]/gm)) {
    const dep = resolve(entry, m[1]!)
    if (dep) for (const [area, where] of areasShown(dep, seen)) out.set(area, [...(out.get(area) ?? []), ...where])
  }
  return out
}

/** Every lazyPage(() => import('…'), [areas]) of a module. */
function lazyPages(file: string): { page: string; areas: string[] }[] {
  const src = readFileSync(file, 'utf8')
  return [...src.matchAll(/lazyPage\(\s*\(\) => import\('([^']+)'\)[^\n]*?(?:,\s*\[([^\]]*)\])?\)\n/g)].map((m) => ({ page: resolve(file, m[1]!)!, areas: m[2]?.match(/\w+/g) ?? [] }))
}

describe('message areas', () => {
  it('loads every lazily loaded message a page shows together with the page', () => {
    const pages = [...lazyPages(`${APP}/App.tsx`), ...lazyPages(`${APP}/pages/Login.tsx`), ...lazyPages(`${APP}/components/MaterialRow.tsx`)]
    expect(pages.map((p) => p.page)).toContain(`${APP}/queue/QueuePage.tsx`)
    const missing: string[] = []
    for (const { page, areas } of pages) for (const [area, where] of areasShown(page)) if (!areas.includes(area)) missing.push(`${area} ← ${where[0]}`)
    expect(missing).toEqual([])
  })

  it('shows none of them from the first download, unless a component loads its own', () => {
    expect([...areasShown(`${APP}/main.tsx`).values()].flat()).toEqual([])
  })

  it('notices a screen that shows messages nobody loads', () => {
    // The check itself: the queue screens show queue messages, and Settings shows the paper ones
    // only through PaperSettings, which loads them.
    expect(areasShown(`${APP}/queue/QueuePage.tsx`).has('queue')).toBe(true)
    expect(areasShown(`${APP}/pages/Settings.tsx`).has('paper')).toBe(false)
  })
})
