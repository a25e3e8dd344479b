// Message catalogues: zh-CN by default, English switchable; the choice is remembered per device.
import { en } from './en'
import { zhCN } from './zh-CN'
import type { adminZhCN } from './areas/admin.zh-CN'
import type { paperZhCN } from './areas/paper.zh-CN'
import type { queueScreensZhCN } from './areas/queue.screens.zh-CN'

export type Locale = 'zh-CN' | 'en'
/** Keys of the main catalogue and of the area catalogues that load with their screens (loadMessages). */
export type MessageKey = keyof typeof zhCN | keyof typeof queueScreensZhCN | keyof typeof paperZhCN | keyof typeof adminZhCN

const CATALOGUES: Record<Locale, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: { ...en } }

/** Adds the messages of a screen loaded later (its chunk carries them, the first load does not). */
export function addMessages(more: Record<Locale, Record<string, string>>): void {
  Object.assign(CATALOGUES['zh-CN'], more['zh-CN'])
  Object.assign(CATALOGUES.en, more.en)
}

/** The catalogues outside the first download: each loads, in both languages, with its screens. */
export type MessageArea = 'queue' | 'paper' | 'admin'

const AREAS: Record<MessageArea, () => Promise<Record<Locale, Record<string, string>>>> = {
  queue: () => Promise.all([import('./areas/queue.screens.zh-CN'), import('./areas/queue.screens.en')]).then(([z, e]) => ({ 'zh-CN': z.queueScreensZhCN, en: e.queueScreensEn })),
  paper: () => Promise.all([import('./areas/paper.zh-CN'), import('./areas/paper.en')]).then(([z, e]) => ({ 'zh-CN': z.paperZhCN, en: e.paperEn })),
  admin: () => Promise.all([import('./areas/admin.zh-CN'), import('./areas/admin.en')]).then(([z, e]) => ({ 'zh-CN': z.adminZhCN, en: e.adminEn })),
}
const loading = new Map<MessageArea, Promise<void>>()
const loaded = new Set<MessageArea>()

/** Loads an area's messages once (both languages, so switching language needs no network);
 *  until then t() shows the key. Whoever rendered meanwhile is told, as on a change of language. */
export function loadMessages(...areas: MessageArea[]): Promise<void> {
  return Promise.all(
    areas.map((area) => {
      let p = loading.get(area)
      if (!p) {
        p = AREAS[area]().then((more) => {
          addMessages(more)
          loaded.add(area)
          for (const fn of listeners) fn()
        })
        p.catch(() => loading.delete(area)) // offline before the chunk was cached: try again next time
        loading.set(area, p)
      }
      return p
    }),
  ).then(() => undefined)
}

/** Whether an area's messages are in (a screen shows nothing of them before). */
export function hasMessages(area: MessageArea): boolean {
  return loaded.has(area)
}
const STORAGE_KEY = 'daiban.locale'

let locale: Locale = readLocale()
const listeners = new Set<() => void>()

function readLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export function getLocale(): Locale {
  return locale
}

export function setLocale(next: Locale): void {
  locale = next
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next)
  } catch {
    // private mode: the choice lasts for this page only
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next
  for (const l of listeners) l()
}

export function onLocaleChange(fn: () => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** For keys built at run time (status.<status>, problem.<code>): falls back to the key itself. */
export function tk(key: string, params: Record<string, string | number> = {}): string {
  return key in CATALOGUES[locale] ? t(key as MessageKey, params) : key
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGUES[locale][key] ?? key
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
}
