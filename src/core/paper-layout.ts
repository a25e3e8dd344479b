// Paper formats and QR geometry. Thermal rolls print at 203 dpi (8 dots per mm): a 58 mm roll
// prints 48 mm (384 dots), an 80 mm roll 72 mm (576 dots). A QR module must be a whole number
// of printer dots, i.e. a multiple of 0.125 mm: at least 5 dots (0.625 mm) on a roll, at least
// 0.5 mm on A4/A5. The quiet zone is 4 modules on every side.

export const PaperFormats = ['a4', 'a5', 'roll58', 'roll80'] as const
export type PaperFormat = (typeof PaperFormats)[number]

export const DOT_MM = 0.125
export const QUIET_ZONE_MODULES = 4

export interface FormatSpec {
  format: PaperFormat
  roll: boolean
  /** Sheet width and height in mm (height 0 on a roll: measured from the content). */
  pageWidthMm: number
  pageHeightMm: number
  /** Width the printer can print on, mm. */
  printableWidthMm: number
  /** Margin on each side, mm. */
  marginMm: number
  minModuleMm: number
  /** The largest QR (with quiet zone) the layout gives room for, mm. */
  qrMaxMm: number
}

export const FORMATS: Record<PaperFormat, FormatSpec> = {
  a4: { format: 'a4', roll: false, pageWidthMm: 210, pageHeightMm: 297, printableWidthMm: 180, marginMm: 15, minModuleMm: 0.5, qrMaxMm: 36 },
  a5: { format: 'a5', roll: false, pageWidthMm: 148, pageHeightMm: 210, printableWidthMm: 128, marginMm: 10, minModuleMm: 0.5, qrMaxMm: 32 },
  roll58: { format: 'roll58', roll: true, pageWidthMm: 58, pageHeightMm: 0, printableWidthMm: 48, marginMm: 5, minModuleMm: 0.625, qrMaxMm: 48 },
  roll80: { format: 'roll80', roll: true, pageWidthMm: 80, pageHeightMm: 0, printableWidthMm: 72, marginMm: 4, minModuleMm: 0.625, qrMaxMm: 48 },
}

export function isPaperFormat(s: unknown): s is PaperFormat {
  return typeof s === 'string' && (PaperFormats as readonly string[]).includes(s)
}

/** Printer dots across a width. */
export function dots(mm: number): number {
  return Math.round(mm / DOT_MM)
}

/**
 * The module size for a QR of `modules` modules per side: the largest whole number of dots that
 * fits the format's QR room with the quiet zone, never below the format's minimum. Throws when
 * even the minimum does not fit (the code would be unreadable).
 */
export function qrModuleMm(format: PaperFormat, modules: number): number {
  const spec = FORMATS[format]
  const total = modules + 2 * QUIET_ZONE_MODULES
  const maxDots = Math.floor(dots(Math.min(spec.qrMaxMm, spec.printableWidthMm)) / total)
  const minDots = Math.ceil(spec.minModuleMm / DOT_MM - 1e-9)
  if (maxDots < minDots) throw new RangeError(`a ${modules}-module QR code does not fit ${format}`)
  return maxDots * DOT_MM
}

/** The @page rule for a roll, once the content's height is measured (whole mm, rounded up). */
export function rollPageRule(format: PaperFormat, contentHeightMm: number): string {
  const spec = FORMATS[format]
  const h = Math.max(20, Math.ceil(contentHeightMm + 1))
  return `@page { size: ${spec.pageWidthMm}mm ${h}mm; margin: 0 }`
}

export function sheetPageRule(format: PaperFormat): string {
  const spec = FORMATS[format]
  return `@page { size: ${format === 'a4' ? 'A4' : 'A5'}; margin: ${spec.marginMm}mm }`
}
