import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

/** Runs an async loader when its dependencies change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { value: T | undefined; reload: () => void; loading: boolean } {
  const [value, setValue] = useState<T>()
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const current = useRef(0)
  useEffect(() => {
    const run = ++current.current
    setLoading(true)
    load().then((v) => {
      if (run === current.current) {
        setValue(v)
        setLoading(false)
      }
    })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { value, reload, loading }
}

/** Calls `onIdle` after `minutes` without pointer or keyboard activity (0 = never). */
export function useIdle(minutes: number, onIdle: () => void): void {
  useEffect(() => {
    if (!minutes) return
    let timer = setTimeout(onIdle, minutes * 60_000)
    const reset = () => {
      clearTimeout(timer)
      timer = setTimeout(onIdle, minutes * 60_000)
    }
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const
    for (const e of events) window.addEventListener(e, reset, { passive: true })
    return () => {
      clearTimeout(timer)
      for (const e of events) window.removeEventListener(e, reset)
    }
  }, [minutes, onIdle])
}
