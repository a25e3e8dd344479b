// A page loaded as its own chunk on first use, so the agent's first load never carries the staff
// screens (and staff never download what only agents use). The page's message areas load with it.
import type { FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { loadMessages, t, type MessageArea } from '../i18n'

export function lazyPage<P extends object>(load: () => Promise<FunctionComponent<P>>, areas: MessageArea[] = []): FunctionComponent<P> {
  let loaded: FunctionComponent<P> | null = null
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<FunctionComponent<P> | null>(() => loaded)
    const [failed, setFailed] = useState(false)
    useEffect(() => {
      if (!Page)
        Promise.all([load(), loadMessages(...areas)])
          .then(([c]) => setPage(() => (loaded = c)))
          .catch(() => setFailed(true))
    }, [])
    if (failed) return <p class="error">{t('app.loadFailed')}</p>
    return Page ? <Page {...props} /> : <p class="loading">{t('common.loading')}</p>
  }
}
