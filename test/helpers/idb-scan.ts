// Reads every record of every object store of an IndexedDB database (fake-indexeddb) as raw bytes,
// the way someone holding a copy of the device's storage would: strings as UTF-8 and UTF-16,
// byte arrays and blobs as they are. Used to check that personal data is nowhere in the clear.

async function bytesOf(value: unknown, out: Buffer[]): Promise<void> {
  if (value === null || value === undefined) return
  if (typeof value === 'string') {
    out.push(Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le'))
  } else if (value instanceof Uint8Array) out.push(Buffer.from(value))
  else if (value instanceof ArrayBuffer) out.push(Buffer.from(new Uint8Array(value)))
  else if (value instanceof Blob) out.push(Buffer.from(await value.arrayBuffer()))
  else if (Array.isArray(value)) for (const v of value) await bytesOf(v, out)
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) {
    out.push(Buffer.from(k, 'utf8'))
    await bytesOf(v, out)
  }
  else out.push(Buffer.from(String(value), 'utf8'))
}

export async function dumpDatabase(factory: IDBFactory, name: string): Promise<Buffer> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = factory.open(name)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const out: Buffer[] = []
  try {
    for (const store of Array.from(db.objectStoreNames)) {
      const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((resolve, reject) => {
        const tx = db.transaction(store, 'readonly')
        const s = tx.objectStore(store)
        const k = s.getAllKeys()
        const v = s.getAll()
        tx.oncomplete = () => resolve([k.result, v.result])
        tx.onerror = () => reject(tx.error)
      })
      await bytesOf(keys, out)
      await bytesOf(values, out)
    }
  } finally {
    db.close()
  }
  return Buffer.concat(out)
}

/** Which of the needles occur in the dump, each as UTF-8, as UTF-16 and (byte arrays) as they are. */
export function foundIn(dump: Buffer, needles: (string | Uint8Array)[]): string[] {
  const hits: string[] = []
  for (const n of needles) {
    const forms = typeof n === 'string' ? [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')] : [Buffer.from(n)]
    if (forms.some((f) => dump.indexOf(f) >= 0)) hits.push(typeof n === 'string' ? n : `bytes(${n.length})`)
  }
  return hits
}
