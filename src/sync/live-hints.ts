// Listens on /api/live for the server's "something in your scope changed" hints, so an online
// device pulls at once instead of waiting for its next interval. Reconnects with backoff.

export interface LiveHints {
  close(): void
}

export function listenForHints(baseUrl: string, token: () => string, onHint: () => void): LiveHints {
  if (typeof WebSocket === 'undefined') return { close() {} }
  let socket: WebSocket | null = null
  let closed = false
  let attempt = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  const connect = () => {
    if (closed) return
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(token())}`
    socket = new WebSocket(url)
    socket.onopen = () => (attempt = 0)
    socket.onmessage = (e) => {
      try {
        if ((JSON.parse(String(e.data)) as { type?: string }).type === 'pull') onHint()
      } catch {
        // not a hint
      }
    }
    socket.onclose = () => {
      if (closed) return
      const delay = Math.min(60_000, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2)
      timer = setTimeout(connect, delay)
    }
  }
  connect()
  return {
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      socket?.close()
    },
  }
}
