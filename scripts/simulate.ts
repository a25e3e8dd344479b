// npm run simulate -- --server URL --user agent --password demo --devices D --cases C [--seed S]
// D simulated village devices (the real client code over fake-indexeddb), each taking in C
// realistic cases offline and then syncing them through the real protocol. The last line printed
// is a JSON summary: {"devices","cases","caseIds","errors","ms"}.

import { rng } from '../demo/fake-cases'
import type { CaseId } from '../src/core'
import { newSimDevice, takeInCase } from './lib/sim-device'

function flag(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? process.argv[i + 1] : fallback
  if (v === undefined) {
    console.error(`missing --${name}`)
    process.exit(2)
  }
  return v
}

const server = flag('server', 'http://127.0.0.1:8080').replace(/\/$/, '')
const user = flag('user', 'agent')
const password = flag('password', 'demo')
const devices = Number(flag('devices', '1'))
const perDevice = Number(flag('cases', '10'))
const seed = Number(flag('seed', '1'))
if (!Number.isInteger(devices) || devices < 1 || !Number.isInteger(perDevice) || perDevice < 0) {
  console.error('--devices must be ≥ 1 and --cases ≥ 0')
  process.exit(2)
}

const started = performance.now()
let errors = 0
const caseIds: CaseId[] = []
const runs = Array.from({ length: devices }, async (_, d) => {
  const device = await newSimDevice(server, user, { password })
  const r = rng(seed * 1000 + d)
  const items = device.catalogue
  for (let i = 0; i < perDevice; i++) caseIds.push(await takeInCase(device, items[Math.floor(r() * items.length)]!, seed * 100000 + d * 1000 + i))
  const result = await device.engine.sync()
  const refused = await device.db.outbox.filter((o) => o.answer?.ok === false).count()
  errors += result.rejected + refused + (await device.engine.pendingCount())
  console.log(`device ${d + 1}: ${result.pushedCases} cases pushed in ${result.requests} requests, ${result.rejected} rejected, ${refused} commands refused`)
})
const settled = await Promise.allSettled(runs)
for (const s of settled)
  if (s.status === 'rejected') {
    errors++
    console.error(`device failed: ${(s.reason as Error).message}`)
  }
console.log(JSON.stringify({ devices, cases: caseIds.length, caseIds, errors, ms: Math.round(performance.now() - started) }))
process.exit(errors ? 1 : 0)
