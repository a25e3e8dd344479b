import { render } from 'preact'
import { App } from './App'
import { getLocale } from './i18n'
import './styles.css'

document.documentElement.lang = getLocale()
render(<App />, document.getElementById('app')!)
