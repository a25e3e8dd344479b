// Pieces the staff screens share: the time-left chip, names of villages, and the order of the
// queue last shown (so j/k on a case page moves through the same list).
import { useEffect, useState } from 'preact/hooks'
import type { SyncStatus } from '../../sync/device-service'
import type { TimeLeft } from '../../store/queue'
import { Comlink, getDevice } from '../device'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'

import { CommandTypes } from '../../core/workflow-model'

/** Claims exist once the workflow knows them (server-ordered leases). */
export const claimsKnown = (CommandTypes as readonly string[]).includes('claim')

let order: string[] = []

export function rememberOrder(ids: string[]): void {
  order = ids
}

/** The case before (-1) or after (+1) `id` in the queue last shown. */
export function neighbour(id: string, step: -1 | 1): string | null {
  const i = order.indexOf(id)
  return i < 0 ? null : (order[i + step] ?? null)
}

export function useOrgNames(): (code: string) => string {
  const { value } = useLoad(() => getDevice().orgNames(), [])
  const map = new Map((value ?? []).map((u) => [u.code, u.name]))
  return (code) => map.get(code) ?? code
}

/** A refusal or rejection code in the user's words, or the server's own text when it has none. */
export function refusalText(code: string, fallback: string): string {
  const text = tk(`refusal.${code}`)
  return text === `refusal.${code}` ? fallback : text
}

export function deptName(d: string): string {
  return d ? tk(`dept.${d}`) : '—'
}

export function TimeLeftChip({ left }: { left: TimeLeft }) {
  if (left.clock === null) return null
  if (left.clock === 'paused') return <span class="tl tl-none">{t('queue.left.paused')}</span>
  const est = left.estimated ? t('queue.estimated') : ''
  const text =
    left.clock === 'acceptance'
      ? left.days! < 0
        ? t('queue.left.acceptOverdue', { days: -left.days! })
        : t('queue.left.accept', { days: left.days! })
      : left.days! < 0
        ? t('queue.left.overdue', { days: -left.days! })
        : left.days === 0
          ? t('queue.left.today')
          : t('queue.left.days', { days: left.days! })
  return (
    <span class={`tl tl-${left.tone}`} data-tone={left.tone} title={left.due ? t('queue.due', { date: left.due }) + est : ''}>
      {text}
      {est}
    </span>
  )
}

/** Whether a keyboard shortcut should act (not while typing in a field). */
export function shortcutTarget(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null
  if (e.ctrlKey || e.metaKey || e.altKey) return false
  return !el || !(el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
}

/**
 * Listens for a page's single-key shortcuts while `deps` hold, outside text fields and modifier
 * chords. `handle` returns whether it used the key; a used key's default action is prevented.
 */
export function useShortcuts(handle: (e: KeyboardEvent) => boolean, deps: unknown[]): void {
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (shortcutTarget(e) && handle(e)) e.preventDefault()
    }
    window.addEventListener('keydown', on)
    return () => window.removeEventListener('keydown', on)
  }, deps)
}

export function ShortcutHelp({ keys, onClose }: { keys: [string, string][]; onClose: () => void }) {
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-label={t('queue.keys.title')} data-testid="shortcut-help" onClick={onClose}>
      <div class="card" onClick={(e) => e.stopPropagation()}>
        <h2>{t('queue.keys.title')}</h2>
        <table class="keys">
          <tbody>
            {keys.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={onClose}>
          {t('queue.close')}
        </button>
      </div>
    </div>
  )
}

let wanted: string | null = null

/** An action asked for from the queue (r, f on a row) that the case page opens at once. */
export function askAction(action: string | null): void {
  wanted = action
}

export function takeAskedAction(): string | null {
  const a = wanted
  wanted = null
  return a
}

/** The sync status while the screen is shown. */
export function useSyncStatus(): SyncStatus | null {
  const [s, setS] = useState<SyncStatus | null>(null)
  useEffect(() => {
    let id: number | null = null
    let gone = false
    void getDevice()
      .watch(Comlink.proxy(setS))
      .then((n) => (gone ? void getDevice().unsubscribe(n) : (id = n)))
    return () => {
      gone = true
      if (id !== null) void getDevice().unsubscribe(id)
    }
  }, [])
  return s
}
