// What agents type to find a resident besides a name prefix: the last 4 characters of the ID
// number (as the case search allows), the end of a phone number, or the pinyin initials of the
// name ("wwd" for 王卫东). The initials come from pinyin-pro, loaded on first use inside the worker,
// so neither the app's first download nor the worker's start carries its dictionary.

import type { ResidentRow } from './db'

type Initials = (name: string) => string
let initialsOf: Promise<Initials> | null = null
const memo = new Map<string, string>()

function loadInitials(): Promise<Initials> {
  initialsOf ??= import('pinyin-pro').then(({ pinyin }) => (name: string) => {
    let hit = memo.get(name)
    if (hit === undefined) {
      hit = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'removed' }).join('').toLowerCase()
      if (memo.size > 50_000) memo.clear()
      memo.set(name, hit)
    }
    return hit
  })
  return initialsOf
}

export type SuffixQuery = { kind: 'initials'; text: string } | { kind: 'suffix'; text: string } | null

/** Which extra search a query asks for: letters → initials; 4–11 digits (or ending in X) → number endings. */
export function suffixQuery(query: string): SuffixQuery {
  const q = query.trim().toLowerCase().replace(/\s+/g, '')
  if (/^[a-z]{2,10}$/.test(q)) return { kind: 'initials', text: q }
  if (/^\d{3,11}x?$/.test(q) && q.length >= 4) return { kind: 'suffix', text: q.toUpperCase() }
  return null
}

/** The residents matching a letters or number-ending query, scanning the rows given. */
export async function matchResidents<R extends Pick<ResidentRow, 'name' | 'idNumber' | 'phone'>>(rows: R[], q: NonNullable<SuffixQuery>): Promise<R[]> {
  switch (q.kind) {
    case 'initials': {
      const initials = await loadInitials()
      return rows.filter((r) => initials(r.name).startsWith(q.text))
    }
    case 'suffix':
      return rows.filter((r) => r.idNumber.endsWith(q.text) || (r.phone !== '' && r.phone.endsWith(q.text)))
  }
}
