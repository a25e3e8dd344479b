// The paper area's messages (print buttons, paper settings) load with the first screen that shows
// them; until then those parts of the screen stay empty rather than show message keys.
import { useEffect, useState } from 'preact/hooks'
import { hasMessages, loadMessages } from '../i18n'

export function usePaperMessages(): boolean {
  const [ready, setReady] = useState(() => hasMessages('paper'))
  useEffect(() => {
    if (!ready) void loadMessages('paper').then(() => setReady(true))
  }, [])
  return ready
}
