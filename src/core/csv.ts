// CSV for spreadsheet programs: UTF-8 with a byte-order mark (so Excel and WPS read the Chinese
// correctly), CRLF line ends, RFC 4180 quoting. A cell that would start a formula is prefixed
// with an apostrophe, so an exported name like "=HYPERLINK(…)" stays text.

export const CSV_BOM = '\uFEFF'
export type CsvCell = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return ''
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v)
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',') + '\r\n'
}

/** A whole CSV text with the BOM, a header line and one line per row. */
export function buildCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return CSV_BOM + csvLine(header) + rows.map(csvLine).join('')
}
