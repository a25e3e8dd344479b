/// <reference lib="webworker" />
// The Web Worker that owns IndexedDB, Yjs and sync. The UI reaches it through Comlink.
import * as Comlink from 'comlink'
import { DeviceService } from './device-service'

const service = new DeviceService({ baseUrl: self.location.origin, isOnline: () => self.navigator.onLine })
self.addEventListener('online', () => service.online())
Comlink.expose(service)
