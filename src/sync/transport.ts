// Sends one encoded sync request over HTTP, gzip-compressed both ways with the platform's
// CompressionStream (browsers, workers and Node alike), and returns the decoded answer.

import { decodeSyncResponse, encodeSyncRequest, SYNC_CONTENT_TYPE, type SyncRequest, type SyncResponse } from '../core'

/** The server's answer while an administrator's password reset waits for the user's new password. */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required'

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'SyncHttpError'
  }
  /** 4xx other than auth, throttling and a pending password change: retrying the same request cannot help. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 401 && this.status !== 408 && this.status !== 429 && this.code !== PASSWORD_CHANGE_REQUIRED
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
  /** Uploads a photo, resuming from what the server already holds. */
  uploadBlob(hash: string, data: Uint8Array): Promise<void>
}

export const BLOB_CHUNK = 256 * 1024

export interface HttpTransportOptions {
  baseUrl: string
  token: () => string | Promise<string>
  fetch?: typeof fetch
  /** Compress request bodies from this size on (bytes). */
  compressFrom?: number
  timeoutMs?: number
  /** The credential this device received at enrolment, sent with every sync (X-Daiban-Device). */
  deviceCredential?: () => string | undefined | Promise<string | undefined>
}

export function httpTransport(opts: HttpTransportOptions): Transport {
  const doFetch = opts.fetch ?? fetch
  const compressFrom = opts.compressFrom ?? 1024
  const auth = async () => ({ authorization: `Bearer ${await opts.token()}` })
  const fail = async (res: Response) => {
    let code = 'http_error'
    let message = `HTTP ${res.status}`
    try {
      const err = (await res.json()) as { error?: { code: string; message: string } }
      if (err.error) ({ code, message } = err.error)
    } catch {
      // not JSON: keep the status
    }
    return new SyncHttpError(res.status, code, message)
  }
  return {
    async uploadBlob(hash, data) {
      const url = `${opts.baseUrl}/api/blobs/${hash}`
      /** Where the server says this upload stands (null: it holds the whole photo). */
      const ask = async (): Promise<number | null> => {
        const head = await doFetch(url, { method: 'HEAD', headers: await auth(), signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) })
        if (head.headers.get('blob-complete') === '1') return null
        const at = head.status === 200 ? Number(head.headers.get('upload-offset') ?? 0) : 0
        return Number.isSafeInteger(at) && at >= 0 && at <= data.byteLength ? at : 0
      }
      const first = await ask()
      if (first === null) return
      let offset = first
      let conflicts = 0
      // Until the server says complete: when it already holds every byte, the last PUT is empty.
      for (;;) {
        const chunk = data.subarray(offset, Math.min(data.byteLength, offset + BLOB_CHUNK))
        const res = await doFetch(url, {
          method: 'PUT',
          headers: { ...(await auth()), 'content-type': 'application/octet-stream', 'upload-offset': String(offset), 'upload-length': String(data.byteLength) },
          body: chunk as BodyInit,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
        })
        if (res.status === 409) {
          // The server holds a different amount (an earlier attempt got further, or a false start
          // was dropped): continue from where it says, or ask it when the answer does not say.
          if (++conflicts > 3) throw new SyncHttpError(503, 'upload_conflict', 'the upload keeps conflicting; it will be tried again later')
          let at: unknown
          try {
            at = ((await res.json()) as { error?: { details?: { offset?: unknown } } }).error?.details?.offset
          } catch {
            at = undefined
          }
          if (typeof at === 'number' && Number.isSafeInteger(at) && at >= 0 && at <= data.byteLength) offset = at
          else {
            const now = await ask()
            if (now === null) return
            offset = now
          }
          continue
        }
        if (!res.ok) throw await fail(res)
        conflicts = 0
        const body = (await res.json()) as { received: number; complete: boolean }
        if (body.complete) return
        if (body.received <= offset) throw new SyncHttpError(500, 'no_progress', 'the upload made no progress')
        offset = body.received
      }
    },
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
      const credential = await opts.deviceCredential?.()
      if (credential) headers['x-daiban-device'] = credential
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
