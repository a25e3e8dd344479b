import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en as mainEn } from '../../src/app/i18n/en'
import { zhCN as mainZhCN } from '../../src/app/i18n/zh-CN'
import { queueScreensEn } from '../../src/app/i18n/areas/queue.screens.en'
import { queueScreensZhCN } from '../../src/app/i18n/areas/queue.screens.zh-CN'
import { CaseStatuses, CommandTypes, Departments, ProblemCode, RefusalCode } from '../../src/core'
import { ListFilters } from '../../src/store/case-list'

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) yield* sources(full)
    else if (/\.tsx?$/.test(name)) yield full
  }
}

// The staff screens' catalogue loads with their chunk; together they are what the UI can show.
const zhCN = { ...mainZhCN, ...queueScreensZhCN }
const en = { ...mainEn, ...queueScreensEn }

describe('messages', () => {
  it('has every zh-CN message in English too, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(params(en[key]), key).toEqual(params(zhCN[key]))
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
