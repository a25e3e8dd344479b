// Message catalogues: zh-CN by default, English switchable; the choice is remembered per device.
// The first download carries the Chinese shell and agent messages only: English arrives as its own
// chunk the first time it is chosen, and each area's messages with its screens (loadMessages).
import { zhCN } from './zh-CN'
import type { adminZhCN } from './areas/admin.zh-CN'
import type { paperZhCN } from './areas/paper.zh-CN'
import type { queueScreensZhCN } from './areas/queue.screens.zh-CN'

export type Locale = 'zh-CN' | 'en'
/** Keys of the main catalogue and of the area catalogues that load with their screens (loadMessages). */
export type MessageKey = keyof typeof zhCN | keyof typeof queueScreensZhCN | keyof typeof paperZhCN | keyof typeof adminZhCN

const CATALOGUES: Record<Locale, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: {} }
let english: Promise<void> | null = null
let englishLoaded = false

function loadEnglish(): Promise<void> {
  english ??= import('./en').then(
    (m) => {
      Object.assign(CATALOGUES.en, m.en)
      englishLoaded = true
    },
    (e: unknown) => {
      english = null // offline before the chunk was cached: try again next time
      throw e
    },
  )
  return english
}

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

// Chinese until the remembered language's catalogue is in (localeReady, before the first render).
let locale: Locale = 'zh-CN'
let wanted: Locale = locale
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

/** Switches the language once its catalogue is in (at once for Chinese or English loaded before);
 *  if English cannot load (offline, never cached) the screen stays in Chinese. */
export function setLocale(next: Locale): Promise<void> {
  wanted = next
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next)
  } catch {
    // private mode: the choice lasts for this page only
  }
  const apply = () => {
    if (wanted !== next) return // another choice came after this one
    locale = next
    if (typeof document !== 'undefined') document.documentElement.lang = next
    for (const l of listeners) l()
  }
  if (next === 'zh-CN' || englishLoaded) {
    apply()
    return Promise.resolve()
  }
  return loadEnglish().then(apply, () => undefined)
}

/** The language remembered on this device, ready to render in (main.tsx waits for it). */
export function localeReady(): Promise<void> {
  return readLocale() === 'en' ? setLocale('en') : Promise.resolve()
}

export function onLocaleChange(fn: () => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** For keys built at run time (status.<status>, problem.<code>): falls back to the key itself. */
export function tk(key: string, params: Record<string, string | number> = {}): string {
  return key in CATALOGUES[locale] || key in CATALOGUES['zh-CN'] ? t(key as MessageKey, params) : key
}

/** A message in the current language; the Chinese one, then the key, while its catalogue loads. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = CATALOGUES[locale][key] ?? CATALOGUES['zh-CN'][key] ?? key
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
}
