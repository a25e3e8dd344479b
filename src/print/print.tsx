// Printing: the paper is rendered into #print-root (hidden on screen, the only thing printed),
// measured, and the @page rule set before window.print(). A roll gets its exact height
// (`size: 58mm auto` is invalid CSS and dropped), so the printer feeds no blank paper.
import { render, type VNode } from 'preact'
import { rollPageRule, sheetPageRule, FORMATS, type PaperFormat } from '../core'
import { paperCss } from './paper-css'

export { paperFormat, setPaperFormat } from './paper-format'

const PX_PER_MM = 96 / 25.4

function element(id: string, tag: 'div' | 'style'): HTMLElement {
  let el = document.getElementById(id)
  if (!el) {
    el = document.createElement(tag)
    el.id = id
    ;(tag === 'style' ? document.head : document.body).appendChild(el)
  }
  return el
}

/** Lays the paper out for printing and returns the measured height (mm); does not print. */
export async function preparePrint(node: VNode, format: PaperFormat): Promise<number> {
  const style = element('print-style', 'style')
  const root = element('print-root', 'div')
  root.removeAttribute('data-ready')
  style.textContent = paperCss(format)
  render(node, root)
  await document.fonts?.ready
  await new Promise((r) => requestAnimationFrame(() => r(null)))
  const heightMm = (root.firstElementChild?.getBoundingClientRect().height ?? 0) / PX_PER_MM
  style.textContent = paperCss(format) + (FORMATS[format].roll ? rollPageRule(format, heightMm) : sheetPageRule(format))
  root.dataset.heightMm = heightMm.toFixed(1)
  root.dataset.ready = '1'
  return heightMm
}

export async function printNode(node: VNode, format: PaperFormat): Promise<void> {
  await preparePrint(node, format)
  window.print()
}
