// The address a request comes from, for throttling. Behind a reverse proxy every request comes
// from the proxy; with TRUST_PROXY=1 the address the proxy appended to X-Forwarded-For is used
// instead (the rightmost entry: the one the proxy saw; entries left of it are client-supplied).

import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: boolean): string {
  const direct = req.socket.remoteAddress ?? 'unknown'
  if (!trustProxy) return direct
  const header = req.headers['x-forwarded-for']
  const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean)
  const last = list.at(-1)
  return last && isIP(last) ? last : direct
}
