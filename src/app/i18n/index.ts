// Message catalogues: zh-CN by default, English switchable; the choice is remembered per device.
import { en } from './en'
import { zhCN } from './zh-CN'
import type { queueScreensZhCN } from './areas/queue.screens.zh-CN'

export type Locale = 'zh-CN' | 'en'
/** Keys of the main catalogue and of the catalogues that load with their screens (addMessages). */
export type MessageKey = keyof typeof zhCN | keyof typeof queueScreensZhCN

const CATALOGUES: Record<Locale, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: { ...en } }

/** Adds the messages of a screen loaded later (its chunk carries them, the first load does not). */
export function addMessages(more: Record<Locale, Record<string, string>>): void {
  Object.assign(CATALOGUES['zh-CN'], more['zh-CN'])
  Object.assign(CATALOGUES.en, more.en)
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
