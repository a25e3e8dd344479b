// Tests of device credentials: a test server that requires them, and devices enrolled on it the
// way the app enrols one (a signed-in user posts the device's public key).
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { enrolDevice, type Enrolment } from '../../src/sync/device'
import type { UserId } from '../../src/core'
import { startTestServer, type StorageChoice, type TestServer } from './server'

export interface EnrolledDevice extends Enrolment {
  token: string
  deviceId: string
  userId: UserId
}

export interface DeviceServer {
  /** Set once `beforeAll` has run: read it inside tests. */
  srv: TestServer
  /** Signs `username` in and enrols a fresh device for them with `publicKey`. */
  enrolled(username: string): Promise<EnrolledDevice>
}

/** A test server with device credentials required, started for the enclosing describe block. */
export function useDeviceServer(storage: StorageChoice, publicKey: string): DeviceServer {
  const env: DeviceServer = {
    srv: undefined as unknown as TestServer,
    async enrolled(username) {
      const token = await env.srv.login(username)
      const deviceId = `dev-${randomBytes(6).toString('hex')}`
      const userId = (await env.srv.storage.findUserByUsername(username))!.id
      return { token, deviceId, userId, ...(await enrolDevice(env.srv.url, token, deviceId, publicKey)) }
    },
  }
  beforeAll(async () => {
    env.srv = await startTestServer(storage, { deviceCredentials: 'required' })
  })
  afterAll(async () => env.srv?.stop())
  return env
}
