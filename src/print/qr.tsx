// The QR code as SVG: level M, every module a whole number of printer dots (qrModuleMm), a
// 4-module quiet zone, one path of unit squares so no anti-aliased seams appear between modules.
import QRCode from 'qrcode'
import { qrModuleMm, QUIET_ZONE_MODULES, type PaperFormat } from '../core'

export interface QrMatrix {
  size: number
  version: number
  dark(row: number, col: number): boolean
}

export function qrMatrix(text: string): QrMatrix {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const m = code.modules
  return { size: m.size, version: code.version, dark: (r, c) => m.data[r * m.size + c] === 1 }
}

export function QrSvg({ text, format, testId }: { text: string; format: PaperFormat; testId?: string }) {
  const m = qrMatrix(text)
  const moduleMm = qrModuleMm(format, m.size)
  const total = m.size + 2 * QUIET_ZONE_MODULES
  let d = ''
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) if (m.dark(r, c)) d += `M${c + QUIET_ZONE_MODULES} ${r + QUIET_ZONE_MODULES}h1v1h-1z`
  const mm = `${(total * moduleMm).toFixed(3)}mm`
  return (
    <svg
      class="qr"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${total} ${total}`}
      width={mm}
      height={mm}
      shape-rendering="crispEdges"
      data-testid={testId}
      data-version={m.version}
      data-module-mm={moduleMm}
      role="img"
      aria-label="QR"
    >
      <rect width={total} height={total} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  )
}
