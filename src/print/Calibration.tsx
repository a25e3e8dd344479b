// The calibration page: a millimetre ruler across the printable width and a test QR code at the
// format's module size, so a station checks once that its printer neither scales nor clips.
import { dots, FORMATS, type PaperFormat } from '../core'
import { QrSvg } from './qr'

export function CalibrationSheet({ format, origin }: { format: PaperFormat; origin: string }) {
  const w = FORMATS[format].printableWidthMm
  const ticks = []
  for (let mm = 0; mm <= w; mm++) {
    const h = mm % 10 === 0 ? 5 : mm % 5 === 0 ? 3.5 : 2
    ticks.push(<line key={mm} x1={mm} x2={mm} y1={0} y2={h} stroke="#000" stroke-width={0.15} />)
    if (mm % 10 === 0) ticks.push(<text key={`t${mm}`} x={mm === w ? mm - 0.5 : mm + 0.5} y={8} font-size={3} text-anchor={mm === w ? 'end' : 'start'}>{mm}</text>)
  }
  return (
    <article class={`paper paper-${format} calibration`} data-testid="paper" data-format={format} style={{ width: `${w}mm` }}>
      <h1 class="p-title">打印校准</h1>
      <svg class="ruler" viewBox={`0 0 ${w} 9`} width={`${w}mm`} height="9mm" xmlns="http://www.w3.org/2000/svg">
        <line x1={0} x2={w} y1={0.1} y2={0.1} stroke="#000" stroke-width={0.2} />
        {ticks}
      </svg>
      <p class="p-body">
        可打印宽度 {w} mm（{dots(w)} 点，203 dpi）。量一量：刻度 0–{w} 应正好 {w} mm，两端不被裁切。手机扫描下方二维码应能识别。
      </p>
      <div class="p-qr">
        <QrSvg text={`${origin}/v/calibration`} format={format} testId="paper-qr" />
      </div>
    </article>
  )
}
