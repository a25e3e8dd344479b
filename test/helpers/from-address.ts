// HTTP requests sent from a chosen loopback address (127.0.0.2, 127.0.0.3, …), so a test can play
// several clients the server tells apart by address.
import { request } from 'node:http'

export interface PlainResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export function jsonFrom(localAddress: string, url: string, method: string, json?: unknown, headers: Record<string, string> = {}): Promise<PlainResponse> {
  const u = new URL(url)
  const body = json === undefined ? undefined : JSON.stringify(json)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        localAddress,
        agent: false,
        headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
