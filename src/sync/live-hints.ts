// Listens on /api/live for the server's "something in your scope changed" hints, so an online
// device pulls at once instead of waiting for its next interval. Reconnects with backoff.

export interface LiveHints {
  /** The hint channel is open (the server can reach this device at once). */
  connected(): boolean
  close(): void
}

export function listenForHints(
  baseUrl: string,
  token: () => string,
  onHint: () => void,
  onState: () => void = () => {},
  /** The device credential: the server then closes this channel when the device is revoked. */
  device: () => string | undefined = () => undefined,
): LiveHints {
  if (typeof WebSocket === 'undefined') return { connected: () => false, close() {} }
  let socket: WebSocket | null = null
  let closed = false
  let attempt = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  const connect = () => {
    if (closed) return
    const credential = device()
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(token())}${credential ? `&device=${encodeURIComponent(credential)}` : ''}`
    socket = new WebSocket(url)
    socket.onopen = () => {
      attempt = 0
      onState()
    }
    socket.onmessage = (e) => {
      try {
        if ((JSON.parse(String(e.data)) as { type?: string }).type === 'pull') onHint()
      } catch {
        // not a hint
      }
    }
    socket.onclose = () => {
      onState()
      if (closed) return
      const delay = Math.min(60_000, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2)
      timer = setTimeout(connect, delay)
    }
  }
  connect()
  return {
    connected: () => socket?.readyState === WebSocket.OPEN,
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      socket?.close()
    },
  }
}
