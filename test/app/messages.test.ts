import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en as mainEn } from '../../src/app/i18n/en'
import { zhCN as mainZhCN } from '../../src/app/i18n/zh-CN'
import { loadMessages, setLocale, t, type MessageKey } from '../../src/app/i18n'
import { CaseStatuses, CommandTypes, Departments, ProblemCode, RefusalCode } from '../../src/core'
import { ListFilters } from '../../src/store/case-list'

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) yield* sources(full)
    else if (/\.tsx?$/.test(name)) yield full
  }
}

// Every area catalogue (areas/<area>.<lang>.ts), whether merged into the main one or loaded with its
// screens: together they are what the UI can show.
const AREA_DIR = 'src/app/i18n/areas'
async function areaCatalogues(lang: 'zh-CN' | 'en'): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {}
  for (const name of readdirSync(AREA_DIR).filter((n) => n.endsWith(`.${lang}.ts`))) {
    const mod = (await import(`../../${AREA_DIR}/${name}`)) as Record<string, Record<string, string>>
    out[name.replace(`.${lang}.ts`, '')] = Object.assign({}, ...Object.values(mod))
  }
  return out
}
const zhAreas = await areaCatalogues('zh-CN')
const enAreas = await areaCatalogues('en')
// The main catalogue's own entries come last, as in zh-CN.ts and en.ts.
const zhCN: Record<string, string> = Object.assign({}, ...Object.values(zhAreas), mainZhCN)
const en: Record<string, string> = Object.assign({}, ...Object.values(enAreas), mainEn)

describe('messages', () => {
  it('has every area in both languages', () => {
    expect(Object.keys(zhAreas).length).toBeGreaterThan(3)
    expect(Object.keys(enAreas).sort()).toEqual(Object.keys(zhAreas).sort())
    for (const area of Object.keys(zhAreas)) expect(Object.keys(enAreas[area]!).sort(), area).toEqual(Object.keys(zhAreas[area]!).sort())
  })

  it('reaches every message of every area, in either language, once the lazily loaded areas are in', async () => {
    await loadMessages('queue', 'paper', 'admin')
    try {
      for (const [lang, all] of [['en', en], ['zh-CN', zhCN]] as const) {
        await setLocale(lang)
        const wrong = Object.keys(all).filter((k) => t(k as MessageKey) !== all[k])
        expect(wrong, lang).toEqual([])
      }
    } finally {
      await setLocale('zh-CN')
    }
  })

  it('has every zh-CN message in English too, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(zhCN)) expect(params(en[key]!), key).toEqual(params(zhCN[key]!))
  })

  it('has a message for every literal key the UI uses', () => {
    const used = new Set<string>()
    for (const file of sources('src/app')) for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]!)
    expect(used.size).toBeGreaterThan(50)
    expect([...used].filter((k) => !(k in zhCN))).toEqual([])
  })

  it('names every status, command, department, list filter and validation problem', () => {
    const keys = [
      ...CaseStatuses.map((s) => `status.${s}`),
      ...CommandTypes.map((c) => `command.${c}`),
      ...Departments.map((d) => `dept.${d}`),
      ...ListFilters.map((f) => `filter.${f}`),
      ...Object.values(ProblemCode).map((p) => `problem.${p}`),
      ...Object.values(RefusalCode).map((r) => `refusal.${r}`),
    ]
    expect(keys.filter((k) => !(k in zhCN))).toEqual([])
  })

  it('keeps Chinese user-facing text out of the components', () => {
    const offenders: string[] = []
    for (const file of sources('src/app')) {
      if (file.includes('i18n')) continue
      const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '')
      if (/[\u4e00-\u9fff]/.test(text)) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })
})
