// Simulated devices for tests: the real client code over fake-indexeddb against a real server.
import type { Device } from '../../src/sync/device'
import type { ServiceItem } from '../../src/core'
export { newSimDevice as newDevice, takeInCase } from '../../scripts/lib/sim-device'

export function itemNamed(device: Device, name: string): ServiceItem {
  const item = device.catalogue.find((i) => i.name === name)
  if (!item) throw new Error(`no item ${name}`)
  return item
}
