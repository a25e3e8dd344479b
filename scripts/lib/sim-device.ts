// A simulated village or township device in Node: the real client code (case store, sync
// engine, HTTP transport) over fake-indexeddb. Used by the simulator, benchmarks and tests.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { fakeCase, rng } from '../../demo/fake-cases'
import type { CaseId, ServiceItem } from '../../src/core'
import { login, openDevice, type Device } from '../../src/sync/device'
import type { SyncOptions } from '../../src/sync/engine'

let counter = 0

export interface SimDevice extends Device {
  username: string
}

export async function newSimDevice(baseUrl: string, username: string, opts: { sync?: SyncOptions; fetch?: typeof fetch; password?: string } = {}): Promise<SimDevice> {
  const l = await login(baseUrl, username, opts.password ?? 'demo', opts.fetch)
  const device = await openDevice({
    baseUrl,
    login: l,
    dbName: `daiban-sim-${username}-${process.pid}-${++counter}`,
    dexie: { indexedDB: new IDBFactory(), IDBKeyRange },
    ...(opts.sync ? { sync: opts.sync } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  })
  return { ...device, username }
}

/** Creates a complete case of the item on the device (offline), optionally taking it in. */
export async function takeInCase(device: Device, item: ServiceItem, seed = 1, submit = true): Promise<CaseId> {
  const { caseId } = await device.store.createCase(item)
  const data = fakeCase(item, rng(seed))
  await device.store.setFields(caseId, data.values)
  for (const [id, m] of Object.entries(data.materials)) await device.store.setMaterial(caseId, id, m)
  if (submit) await device.store.queueCommand(caseId, { type: 'submit' })
  return caseId
}
