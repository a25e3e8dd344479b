import { render } from 'preact'
import { App } from './App'
import { getLocale, localeReady } from './i18n'
import './styles.css'

// English, when remembered, loads before the first render (Chinese needs nothing more).
void localeReady().then(() => {
  document.documentElement.lang = getLocale()
  render(<App />, document.getElementById('app')!)
})
