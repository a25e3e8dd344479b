// A TCP proxy that makes the network as bad as a village link: it drops connections before
// forwarding, delays traffic, and cuts responses off midway. Seeded, so a failure can be replayed.
import { createServer, connect, type Server, type Socket } from 'node:net'
import { rng } from '../../demo/fake-cases'

export interface FlakyOptions {
  seed: number
  /** Probability that a connection is dropped before anything is forwarded. */
  drop: number
  /** Probability that the response is cut off after a random number of bytes. */
  cut: number
  /** Maximum delay in ms added to each forwarded chunk. */
  maxDelayMs: number
}

export interface FlakyProxy {
  url: string
  stats: { connections: number; dropped: number; cut: number }
  /** Stop misbehaving (the last stretch of a test converges over a good link). */
  heal(): void
  close(): Promise<void>
}

export async function startFlakyProxy(target: string, opts: FlakyOptions): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target)
  const r = rng(opts.seed)
  const stats = { connections: 0, dropped: 0, cut: 0 }
  let healed = false
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    stats.connections++
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    const upstream = connect(Number(port), hostname)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    const delay = () => (healed ? 0 : Math.floor(r() * opts.maxDelayMs))
    // Connections are kept alive, so the dice are rolled per request (each chunk from the client).
    let cutAfter = Infinity
    let sent = 0
    client.on('data', (chunk) => {
      if (!healed && r() < opts.drop) {
        stats.dropped++
        client.destroy()
        upstream.destroy()
        return
      }
      if (!healed && cutAfter === Infinity && r() < opts.cut) {
        cutAfter = Math.floor(r() * 600)
        sent = 0
      }
      const d = delay()
      setTimeout(() => upstream.write(chunk), d)
    })
    upstream.on('data', (chunk) => {
      const d = delay()
      setTimeout(() => {
        if (client.destroyed) return
        if (sent + chunk.length > cutAfter) {
          client.write(chunk.subarray(0, Math.max(0, cutAfter - sent)))
          stats.cut++
          client.destroy()
          upstream.destroy()
          return
        }
        sent += chunk.length
        client.write(chunk)
      }, d)
    })
    upstream.on('end', () => setTimeout(() => client.end(), opts.maxDelayMs + 1))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}`,
    stats,
    heal: () => (healed = true),
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((ok) => server.close(ok))
    },
  }
}
