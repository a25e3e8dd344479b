// How many decisions wait for the village agent (shown on the 待办任务 tab): counted again after
// every sync, on every page change and now and then.
import { useEffect, useState } from 'preact/hooks'
import { Comlink, getDevice } from '../device'

export function TaskBadge() {
  const [count, setCount] = useState(0)
  useEffect(() => {
    let last: string | null = null
    const look = () => void getDevice().tasks().then((t) => setCount(t.filter((x) => !x.pending).length), () => {})
    look()
    const timer = setInterval(look, 10_000)
    window.addEventListener('hashchange', look)
    let id: number | null = null
    let gone = false
    void getDevice()
      .watch(
        Comlink.proxy((s) => {
          if (s.lastSuccess !== last) (last = s.lastSuccess), look()
        }),
      )
      .then((n) => (gone ? void getDevice().unsubscribe(n) : (id = n)))
    return () => {
      gone = true
      clearInterval(timer)
      window.removeEventListener('hashchange', look)
      if (id !== null) void getDevice().unsubscribe(id)
    }
  }, [])
  return count ? (
    <span class="nav-badge" data-testid="task-count">
      {count}
    </span>
  ) : null
}
