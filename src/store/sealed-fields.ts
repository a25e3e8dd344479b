// Personal fields of a table, held in the worker's memory while the account is unlocked and stored
// only sealed. A table's rows keep their non-personal fields in the clear (ids, statuses, dates,
// item codes) and the personal ones in one sealed payload `x`.
//
// The in-memory copy is what makes this cheap: a Dexie reading hook puts the personal fields back
// on every row read (synchronously, from memory), and a DBCore middleware takes them off every row
// written and puts the current sealed payload in their place. Code that changes personal fields
// calls `set` first (it seals, asynchronously, outside any IndexedDB transaction); everything else
// reads and writes rows as before. The same memory serves name search (residents, case lists).

import { b64, SealError, type Sealer } from './sealed'

type Row = Record<string, unknown> & { x?: Uint8Array }
export type LoadResult = { opened: number; unreadable: number; stale: number }

/** A sealed payload's IV (bytes 1–13): it changes with every sealing, so it tells a row's version. */
const ivOf = (x: Uint8Array) => b64(x.subarray(1, 13))

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

  private loader: (() => Promise<LoadResult>) | null = null
  private loading: Promise<LoadResult> | null = null

  /** Loads the stored rows only when first needed (`ensure`), not at unlock. */
  lazy(loader: () => Promise<LoadResult>): void {
    this.loader = loader
  }

  /** The rows stored at unlock are in memory once this resolves (null: loaded eagerly). */
  ensure(): Promise<LoadResult | null> {
    if (!this.loader) return Promise.resolve(null)
    return (this.loading ??= this.loader().then((r) => ((this.complete = true), r)))
  }

  private complete = false

  /** Every stored row is in memory (a snapshot of a partial memory would be of no use). */
  get loaded(): boolean {
    return !this.loader || this.complete
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

  /**
   * One sealed copy of every row's fields with the IV of its sealed payload, so the next unlock
   * opens them with one decryption instead of one per row.
   */
  async snapshot(): Promise<Uint8Array | null> {
    if (!this.loaded) return null
    const entries: [string, string, string][] = []
    for (const [id, x] of this.sealed) entries.push([id, ivOf(x), this.json.get(id)!])
    return this.sealer.sealJson(entries)
  }

  /**
   * Opens every sealed row at unlock: from the snapshot when the row's IV matches it, else on its
   * own (all in parallel: WebCrypto runs them off the JS thread). `stale` counts the latter.
   */
  async load(rows: readonly object[], snapshot?: Uint8Array): Promise<LoadResult> {
    const snap = new Map<string, [string, string]>()
    if (snapshot)
      try {
        for (const [id, iv, json] of await this.sealer.openJson<[string, string, string][]>(snapshot)) snap.set(id, [iv, json])
      } catch {
        // an unreadable snapshot: every row is opened on its own
      }
    let unreadable = 0
    const stale: (Row & { x: Uint8Array })[] = []
    for (const row of rows as Row[]) {
      if (!row.x) continue
      const id = this.keyOf(row)
      if (this.values.has(id)) continue // set while loading: newer than what is stored
      const s = snap.get(id)
      if (s && s[0] === ivOf(row.x)) {
        this.values.set(id, JSON.parse(s[1]) as T)
        this.sealed.set(id, row.x)
        this.json.set(id, s[1])
      } else stale.push(row as Row & { x: Uint8Array })
    }
    await Promise.all(
      stale.map(async (row) => {
        try {
          const bytes = await this.sealer.open(row.x)
          const json = new TextDecoder().decode(bytes)
          const id = this.keyOf(row)
          if (this.values.has(id)) return
          this.values.set(id, JSON.parse(json) as T)
          this.sealed.set(id, row.x)
          this.json.set(id, json)
        } catch {
          unreadable++
        }
      }),
    )
    return { opened: this.values.size, unreadable, stale: stale.length }
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
