// The paper format chosen on this device, apart from the print views so the screens that show it
// (print buttons, Settings) do not load the views and the QR encoder before something is printed.
import { isPaperFormat, type PaperFormat } from '../core/paper-layout'

const FORMAT_KEY = 'daiban.paperFormat'

/** The paper format chosen on this device (Settings); A4 until one is chosen. */
export function paperFormat(): PaperFormat {
  try {
    const f = localStorage.getItem(FORMAT_KEY)
    return isPaperFormat(f) ? f : 'a4'
  } catch {
    return 'a4'
  }
}

export function setPaperFormat(f: PaperFormat): void {
  localStorage.setItem(FORMAT_KEY, f)
}
