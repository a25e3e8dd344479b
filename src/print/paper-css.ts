// Print CSS of papers: a system font stack that renders Chinese (no font download), sizes per
// format, and the rule that only the paper prints. The @page rule is set separately once the
// content is measured (print.tsx).
import type { PaperFormat } from '../core'

export const PAPER_FONTS = `"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Source Han Sans SC","Noto Sans CJK SC","WenQuanYi Micro Hei",SimSun,sans-serif`

const SIZE: Record<PaperFormat, { font: string; title: string; number: string }> = {
  a4: { font: '11pt', title: '18pt', number: '16pt' },
  a5: { font: '10pt', title: '15pt', number: '14pt' },
  roll58: { font: '8.5pt', title: '12pt', number: '11pt' },
  roll80: { font: '9.5pt', title: '13pt', number: '12.5pt' },
}

export function paperCss(format: PaperFormat): string {
  const s = SIZE[format]
  const roll = format === 'roll58' || format === 'roll80'
  return `
#print-root{font-family:${PAPER_FONTS};color:#000;background:#fff}
@media screen{#print-root{position:absolute;left:-10000px;top:0}}
@media print{html,body{margin:0!important;padding:0!important;background:#fff!important;height:auto!important;min-height:0!important;overflow:visible!important}
body>*:not(#print-root){display:none!important}#print-root{position:static}}
.paper{box-sizing:border-box;font-size:${s.font};line-height:1.4;${roll ? `margin:0 auto;padding:2mm 0 3mm` : ''}}
.paper *{box-sizing:border-box}
.p-office{text-align:center;font-size:${s.font};margin-bottom:1mm}
.p-title{font-size:${s.title};text-align:center;margin:0 0 2mm;letter-spacing:.1em}
.p-reprint{display:inline-block;border:0.4mm solid #000;padding:0 1.2mm;margin-left:2mm;font-size:${s.font};letter-spacing:0;vertical-align:middle}
.p-number{border-top:0.3mm solid #000;border-bottom:0.3mm solid #000;padding:1mm 0;margin-bottom:1.5mm}
.p-case{display:block;font-size:${s.number};font-weight:700;font-family:ui-monospace,"DejaVu Sans Mono",monospace,${PAPER_FONTS};overflow-wrap:anywhere}
.p-case .nowrap{white-space:nowrap}
.p-row{display:flex;gap:2mm;padding:0.3mm 0}
.p-k{flex:none;color:#000;${roll ? 'min-width:4.5em' : 'min-width:6em'}}
.p-v{flex:1;min-width:0;overflow-wrap:anywhere;word-break:break-all}
.paper h3{font-size:${s.font};margin:2mm 0 1mm}
.p-materials{width:100%;border-collapse:collapse;table-layout:fixed;font-size:${roll ? '8pt' : s.font}}
.p-materials th,.p-materials td{border:0.2mm solid #000;padding:0.5mm 0.8mm;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-all}
.p-materials th:nth-child(1){width:${roll ? '40%' : '52%'}}.p-materials th:nth-child(3){width:${roll ? '14%' : '10%'}}
.p-note,.p-body{margin:1.5mm 0;overflow-wrap:anywhere}
.p-corrections{margin:1mm 0;padding-left:5mm}
.p-corrections li{margin:0.5mm 0;overflow-wrap:anywhere}
.p-foot{${roll ? 'display:block' : 'display:flex;gap:8mm;align-items:flex-end;justify-content:space-between;break-inside:avoid'}}
.p-foot>:first-child{flex:1}
.p-signs{display:flex;${roll ? 'flex-direction:column;gap:6mm' : 'gap:10mm'};margin:4mm 0 2mm}
.p-signs span{flex:1;border-bottom:0.3mm solid #000;padding-bottom:${roll ? '5mm' : '8mm'}}
.p-issuer{display:flex;${roll ? 'flex-direction:column;align-items:flex-end;gap:2mm' : 'justify-content:flex-end;align-items:center;gap:4mm'};margin:4mm 0 2mm;text-align:right}
.p-seal{width:${roll ? '22mm' : '36mm'};height:${roll ? '22mm' : '36mm'};border:0.3mm dashed #000;border-radius:50%;display:flex;align-items:center;justify-content:center;flex:none}
.p-qr{text-align:center;margin-top:2mm;break-inside:avoid;flex:none}
.p-qr svg{display:block;margin:0 auto}
.p-qr-caption{margin:0.5mm 0 0;font-size:${roll ? '7.5pt' : '8.5pt'}}
.calibration .ruler{display:block;margin:2mm 0}
`
}
