// Printing: the paper is rendered into #print-root (hidden on screen, the only thing printed),
// measured, and the @page rule set before window.print(). A roll gets its exact height
// (`size: 58mm auto` is invalid CSS and dropped), so the printer feeds no blank paper.
import { render, type VNode } from 'preact'
import { rollPageRule, sheetPageRule, FORMATS, type PaperFormat } from '../core'
import { paperCss } from './paper-css'

export { paperFormat, setPaperFormat } from './paper-format'

const PX_PER_MM = 96 / 25.4

function printRoot(): HTMLElement {
  let el = document.getElementById('print-root')
  if (!el) {
    el = document.createElement('div')
    el.id = 'print-root'
    document.body.appendChild(el)
  }
  return el
}

// The paper's rules go into a constructed style sheet, not a <style> element: the app's
// Content-Security-Policy allows no inline styles.
let sheet: CSSStyleSheet | null = null
function setPrintCss(css: string): void {
  if (!sheet) {
    sheet = new CSSStyleSheet()
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
  }
  sheet.replaceSync(css)
}

/** Lays the paper out for printing and returns the measured height (mm); does not print. */
export async function preparePrint(node: VNode, format: PaperFormat): Promise<number> {
  const root = printRoot()
  root.removeAttribute('data-ready')
  setPrintCss(paperCss(format))
  render(node, root)
  await document.fonts?.ready
  await new Promise((r) => requestAnimationFrame(() => r(null)))
  const heightMm = (root.firstElementChild?.getBoundingClientRect().height ?? 0) / PX_PER_MM
  setPrintCss(paperCss(format) + (FORMATS[format].roll ? rollPageRule(format, heightMm) : sheetPageRule(format)))
  root.dataset.heightMm = heightMm.toFixed(1)
  root.dataset.ready = '1'
  return heightMm
}

export async function printNode(node: VNode, format: PaperFormat): Promise<void> {
  await preparePrint(node, format)
  window.print()
}
