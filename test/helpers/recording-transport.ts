// Wraps a device's fetch so that sync requests can be delivered again later: duplicated and
// reordered deliveries, as a village link with retries produces them.
export interface Recorder {
  fetch: typeof fetch
  /** Re-sends the k-th recorded sync request (modulo the history) and ignores the answer. */
  replay(k: number): Promise<void>
  count(): number
}

export function recordingFetch(): Recorder {
  const history: { url: string; init: RequestInit }[] = []
  const f: typeof fetch = async (input, init) => {
    const url = String(input)
    if (url.endsWith('/api/sync') && init?.body) history.push({ url, init: { ...init, signal: null } })
    return fetch(input, init)
  }
  return {
    fetch: f,
    count: () => history.length,
    async replay(k) {
      if (!history.length) return
      const h = history[k % history.length]!
      const res = await fetch(h.url, h.init)
      await res.arrayBuffer()
    },
  }
}
