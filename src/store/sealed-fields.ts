// Personal fields of a table, held in the worker's memory while the account is unlocked and stored
// only sealed. A table's rows keep their non-personal fields in the clear (ids, statuses, dates,
// item codes) and the personal ones in one sealed payload `x`.
//
// The in-memory copy is what makes this cheap: a Dexie reading hook puts the personal fields back
// on every row read (synchronously, from memory), and a DBCore middleware takes them off every row
// written and puts the current sealed payload in their place. Code that changes personal fields
// calls `set` first (it seals, asynchronously, outside any IndexedDB transaction); everything else
// reads and writes rows as before. The same memory serves name search (residents, case lists).

import { SealError, type Sealer } from './sealed'

type Row = Record<string, unknown> & { x?: Uint8Array }

export class SealedFields<T extends Record<string, unknown>> {
  private values = new Map<string, T>()
  private sealed = new Map<string, Uint8Array>()
  private json = new Map<string, string>()

  constructor(
    readonly table: string,
    readonly keyOf: (row: Row) => string,
    /** The personal fields (all of them: what `pick` returns, with the values of an empty row). */
    readonly empty: T,
    private sealer: Sealer,
  ) {}

  get size(): number {
    return this.values.size
  }

  get(id: string): T | undefined {
    return this.values.get(id)
  }

  entries(): IterableIterator<[string, T]> {
    return this.values.entries()
  }

  pick(row: Row): T {
    const out = {} as Record<string, unknown>
    for (const k of Object.keys(this.empty)) out[k] = row[k] ?? this.empty[k]
    return out as T
  }

  /** Seals a row's new personal fields (call before the transaction that writes the row). */
  async set(id: string, fields: T): Promise<void> {
    const json = JSON.stringify(fields)
    if (this.json.get(id) === json) return
    const x = await this.sealer.seal(new TextEncoder().encode(json))
    this.values.set(id, fields)
    this.sealed.set(id, x)
    this.json.set(id, json)
  }

  forget(id: string): void {
    this.values.delete(id)
    this.sealed.delete(id)
    this.json.delete(id)
  }

  /** Opens every sealed row at unlock (all in parallel: WebCrypto runs them off the JS thread). */
  async load(rows: readonly object[]): Promise<{ opened: number; unreadable: number }> {
    let unreadable = 0
    await Promise.all(
      (rows as Row[]).map(async (row) => {
        if (!row.x) return
        try {
          const bytes = await this.sealer.open(row.x)
          const json = new TextDecoder().decode(bytes)
          const id = this.keyOf(row)
          this.values.set(id, JSON.parse(json) as T)
          this.sealed.set(id, row.x)
          this.json.set(id, json)
        } catch {
          unreadable++
        }
      }),
    )
    return { opened: this.values.size, unreadable }
  }

  /** A stored row as the code reads it: with its personal fields. */
  reveal(row: Row): Row {
    if (!row || !row.x) return row
    const fields = this.values.get(this.keyOf(row))
    return fields ? { ...row, ...fields } : row
  }

  /** A row as it is stored: personal fields off, the current sealed payload on. */
  hide(row: Row): Row {
    const id = this.keyOf(row)
    // A row written with personal fields must carry the values sealed last (never stored in the
    // clear, never lost); a row without them (a partial update) keeps its sealed payload.
    if (Object.keys(this.empty).some((k) => k in row)) {
      const json = JSON.stringify(this.pick(row))
      if ((this.json.get(id) ?? JSON.stringify(this.empty)) !== json) throw new SealError(`personal fields of ${this.table} written without being sealed first`)
    }
    const x = this.sealed.get(id) ?? row.x
    const out: Row = { ...row }
    for (const k of Object.keys(this.empty)) delete out[k]
    if (x) out.x = x
    else delete out.x
    return out
  }

  clear(): void {
    this.values.clear()
    this.sealed.clear()
    this.json.clear()
  }
}
