// Sends one encoded sync request over HTTP, gzip-compressed both ways with the platform's
// CompressionStream (browsers, workers and Node alike), and returns the decoded answer.

import { decodeSyncResponse, encodeSyncRequest, SYNC_CONTENT_TYPE, type SyncRequest, type SyncResponse } from '../core'

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'SyncHttpError'
  }
  /** 4xx other than auth and throttling: retrying the same request cannot help. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 401 && this.status !== 408 && this.status !== 429
  }
}

async function pipeThrough(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream))
  return new Uint8Array(await out.arrayBuffer())
}

export const gzipBytes = (b: Uint8Array) => pipeThrough(b, new CompressionStream('gzip'))
export const gunzipBytes = (b: Uint8Array) => pipeThrough(b, new DecompressionStream('gzip'))

export interface Transport {
  sync(req: SyncRequest): Promise<SyncResponse>
}

export interface HttpTransportOptions {
  baseUrl: string
  token: () => string | Promise<string>
  fetch?: typeof fetch
  /** Compress request bodies from this size on (bytes). */
  compressFrom?: number
  timeoutMs?: number
}

export function httpTransport(opts: HttpTransportOptions): Transport {
  const doFetch = opts.fetch ?? fetch
  const compressFrom = opts.compressFrom ?? 1024
  return {
    async sync(req) {
      const raw = encodeSyncRequest(req)
      const compress = raw.byteLength >= compressFrom
      const body = compress ? await gzipBytes(raw) : raw
      const headers: Record<string, string> = {
        'content-type': SYNC_CONTENT_TYPE,
        authorization: `Bearer ${await opts.token()}`,
        'accept-encoding': 'gzip',
      }
      if (compress) headers['content-encoding'] = 'gzip'
      const res = await doFetch(`${opts.baseUrl}/api/sync`, {
        method: 'POST',
        headers,
        body: body as BodyInit,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      })
      const bytes = new Uint8Array(await res.arrayBuffer())
      if (!res.ok) {
        let code = 'http_error'
        let message = `HTTP ${res.status}`
        try {
          const err = JSON.parse(new TextDecoder().decode(bytes)) as { error?: { code: string; message: string } }
          if (err.error) ({ code, message } = err.error)
        } catch {
          // not JSON: keep the status
        }
        throw new SyncHttpError(res.status, code, message)
      }
      // fetch decodes Content-Encoding itself in browsers and Node; a raw gzip body means it did not.
      const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? await gunzipBytes(bytes) : bytes
      return decodeSyncResponse(plain)
    },
  }
}
