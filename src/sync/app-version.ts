// The version of the app the device runs, reported with each sync (the administrator's device list).
import { version } from '../../package.json'

export const APP_VERSION: string = version
