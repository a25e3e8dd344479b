// PDFs printed by Chromium, read back with poppler (pdftotext, pdfinfo, pdftoppm) and QR codes
// decoded from the rendered pixels with jsQR.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import jsQR from 'jsqr'

export const MM_PER_PT = 25.4 / 72

export function pdfInfo(file: string): { pages: number; widthMm: number; heightMm: number } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const pages = Number(/Pages:\s+(\d+)/.exec(out)?.[1])
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(out)!
  return { pages, widthMm: Number(m[1]) * MM_PER_PT, heightMm: Number(m[2]) * MM_PER_PT }
}

/** The text in content order, all whitespace removed (a table cell's wrapped lines join up). */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
}

/** Every word's box, mm from the page's left edge. */
export function pdfWordBoxes(file: string): { word: string; xMin: number; xMax: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' })
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    word: m[3]!,
    xMin: Number(m[1]) * MM_PER_PT,
    xMax: Number(m[2]) * MM_PER_PT,
  }))
}

/** Renders page 1 to a PNG (kept for people to look at) and decodes the QR code in it. */
export function pdfQr(file: string, pngBase: string, dpi: number): string | null {
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', file, pngBase])
  const ppm = `${pngBase}-decode`
  execFileSync('pdftoppm', ['-r', String(dpi), '-singlefile', file, ppm])
  const data = readFileSync(`${ppm}.ppm`)
  rmSync(`${ppm}.ppm`)
  // P6 header: magic, width, height, max value, then RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'))!
  const [w, h] = [Number(header[1]), Number(header[2])]
  const rgb = data.subarray(header[0].length)
  const rgba = new Uint8ClampedArray(w * h * 4)
  for (let i = 0; i < w * h; i++) {
    rgba[i * 4] = rgb[i * 3]!
    rgba[i * 4 + 1] = rgb[i * 3 + 1]!
    rgba[i * 4 + 2] = rgb[i * 3 + 2]!
    rgba[i * 4 + 3] = 255
  }
  return jsQR(rgba, w, h)?.data ?? null
}
