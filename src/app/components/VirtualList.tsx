// A windowed list: only the rows in view (plus a margin) are rendered, and rows are fetched from
// the worker a page at a time, so 10,000 cases scroll as smoothly as 10.
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

const PAGE = 100

export function VirtualList<Row>(props: {
  total: number
  rowHeight: number
  /** Changes whenever the underlying query changes: cached pages are dropped. */
  queryKey: string
  fetch: (offset: number, limit: number) => Promise<Row[]>
  render: (row: Row, index: number) => ComponentChildren
  label: string
}) {
  const { total, rowHeight, queryKey, fetch, render } = props
  const box = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(600)
  const pages = useRef(new Map<number, Row[]>())
  const [, bump] = useState(0)

  useEffect(() => {
    pages.current = new Map()
    bump((n) => n + 1)
  }, [queryKey])
  useEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => setHeight(el.clientHeight))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 5)
  const last = Math.min(total, Math.ceil((scrollTop + height) / rowHeight) + 5)
  useEffect(() => {
    for (let page = Math.floor(first / PAGE); page * PAGE < last; page++) {
      if (pages.current.has(page)) continue
      pages.current.set(page, [])
      const key = queryKey
      void fetch(page * PAGE, PAGE).then((rows) => {
        if (key !== queryKey) return
        pages.current.set(page, rows)
        bump((n) => n + 1)
      })
    }
  }, [first, last, queryKey, fetch])

  const items: ComponentChildren[] = []
  for (let i = first; i < last; i++) {
    const row = pages.current.get(Math.floor(i / PAGE))?.[i % PAGE]
    items.push(
      <li key={i} role="listitem" style={{ position: 'absolute', top: `${i * rowHeight}px`, height: `${rowHeight}px`, left: 0, right: 0 }}>
        {row ? render(row, i) : null}
      </li>,
    )
  }
  return (
    <div class="vlist" ref={box} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} aria-label={props.label} tabIndex={0}>
      <ul role="list" style={{ height: `${total * rowHeight}px`, position: 'relative', margin: 0, padding: 0 }}>
        {items}
      </ul>
    </div>
  )
}
