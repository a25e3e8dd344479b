// The UI's handle on the worker. Every call is asynchronous message passing: the UI thread never
// touches IndexedDB or Yjs itself.
import * as Comlink from 'comlink'
import type { DeviceService } from '../sync/device-service'

export type Device = Comlink.Remote<DeviceService>

let device: Device | null = null

export function getDevice(): Device {
  if (!device) {
    const worker = new Worker(new URL('../sync/worker.ts', import.meta.url), { type: 'module', name: 'daiban-data' })
    device = Comlink.wrap<DeviceService>(worker)
    window.addEventListener('online', () => void device!.online())
  }
  return device
}

export { Comlink }
