// Applies a Yjs update to a case document and reports exactly what it changed: which keys of
// which roots were added, updated or deleted, whether it touched anything outside the five known
// roots, and whether it depends on state the document does not have. The server decides from this
// report whether the sender was allowed to make the change (guard.ts).

import * as Y from 'yjs'
import { CaseRoots, type CaseRoot } from './permissions'

export interface KeyChange {
  root: CaseRoot
  key: string
  action: 'add' | 'update' | 'delete'
}

export interface Inspection {
  changes: KeyChange[]
  /** Something outside the five root maps changed (a foreign root or a nested shared type). */
  foreign: boolean
  /** The update refers to structs or deletions the document lacks. */
  missingDependencies: boolean
  /** Nothing changed (a duplicate delivery). */
  noop: boolean
}

const ROOTS = new Set<string>(CaseRoots)

type AnyType = Y.AbstractType<any>

function rootName(doc: Y.Doc, type: AnyType): string | null {
  let t: AnyType = type
  while (t._item) t = t._item.parent as AnyType
  for (const [name, shared] of doc.share) if (shared === t) return name
  return null
}

/** Throws when the bytes are not a Yjs update; the document may then be partly changed. */
export function applyAndInspect(doc: Y.Doc, update: Uint8Array, origin: unknown = 'remote'): Inspection {
  const changes: KeyChange[] = []
  let foreign = false
  let changedSomething = false
  const onAfter = (tr: Y.Transaction) => {
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) changedSomething = true
    for (const [type, keys] of tr.changed) {
      const name = rootName(doc, type)
      if (!name || !ROOTS.has(name) || type._item) {
        foreign = true
        continue
      }
      const map = type as unknown as Y.Map<unknown>
      if (!(map instanceof Y.Map)) {
        foreign = true
        continue
      }
      if (keys.has(null)) foreign = true // list-like change on a root: our roots are maps only
      // YMapEvent tells from the transaction whether each key was added, updated or deleted.
      const event = new Y.YMapEvent(map, tr, keys)
      for (const [key, change] of event.keys) {
        changes.push({ root: name as CaseRoot, key, action: change.action })
        // A shared type created inside this update does not appear in tr.changed itself.
        if (map.get(key) instanceof Y.AbstractType) foreign = true
      }
    }
  }
  // Nested types appear in tr.changed with their own entry; roots that only exist in the update
  // are created by Yjs on the fly and show up there too.
  // Define the roots as maps first: a root Yjs meets only inside an update becomes a bare type.
  for (const r of CaseRoots) doc.getMap(r)
  doc.on('afterTransaction', onAfter)
  try {
    Y.applyUpdate(doc, update, origin)
  } finally {
    doc.off('afterTransaction', onAfter)
  }
  const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
  const missingDependencies = store.pendingStructs !== null || store.pendingDs !== null
  return { changes, foreign, missingDependencies, noop: !changedSomething && !missingDependencies }
}
