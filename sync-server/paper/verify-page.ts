// The verification page a resident's phone opens from the QR code: one self-contained HTML page
// (no script, no external resource), Chinese first, English with ?lang=en or an English
// Accept-Language. It says plainly which verdict holds and, for a genuine paper, the case's
// current state with the applicant's name masked.

import type { PaperVerification } from './verify'

type Lang = 'zh' | 'en'

const TEXT = {
  zh: {
    title: '单据核验',
    genuine: '真实有效',
    genuineBody: '这张单据由登记在册的设备签发，与服务器记录一致。',
    genuine_unsynced: '真实有效，尚未同步',
    genuine_unsyncedBody: '签名有效，签发设备正常；服务站当时离线，这张单据的记录还没有上传到服务器。联网同步后即可查询办理进度。',
    device_lost: '无法确认：设备已报失',
    device_lostBody: '签发这张单据的设备已报告丢失，且这张单据是在报失后签发的。请向服务站或 12345 核实。',
    not_genuine: '不是真实单据',
    not_genuineBody: '签名无效、签发设备未知或单据内容与记录不符。请勿凭此单据办理，请向服务站或 12345 核实。',
    reason: { malformed: '二维码内容不完整或被改动', unknown_device: '签发设备未登记', bad_signature: '签名无效', digest_mismatch: '单据内容与服务器记录不符' },
    clock: '注意：签发时间与设备时钟不符，时间仅供参考。',
    issued: '签发时间',
    reprint: '补打',
    kind: { receipt: '代办受理回执', correction: '补正告知书', acceptance: '受理通知书', completion: '办结通知', refusal: '不予受理通知书' } as Record<string, string>,
    caseNumber: '办件编号',
    item: '事项',
    applicant: '申请人',
    status: '当前状态',
    due: { acceptance: '受理期限', decision: '预计办结', correction: '补正期限', none: '' } as Record<string, string>,
    estimated: '预计',
    statuses: {
      draft: '填写中', submitted: '已报送乡镇，待受理', returned: '待补正材料', accepted: '已受理，办理中', forwarded: '已上报县级，办理中',
      completed: '已办结', delivered: '已送达', archived: '已归档', refused: '不予受理', withdrawn: '已撤回',
    } as Record<string, string>,
    help: '咨询投诉：12345',
    other: 'English',
  },
  en: {
    title: 'Paper check',
    genuine: 'Genuine',
    genuineBody: 'This paper was issued by an enrolled device and matches the server’s record.',
    genuine_unsynced: 'Genuine, not yet synced',
    genuine_unsyncedBody: 'The signature is valid and the device is active; the station was offline, so the server has not received this paper yet. The case status shows once it syncs.',
    device_lost: 'Not confirmed: device reported lost',
    device_lostBody: 'The device that issued this paper was reported lost, and this paper was issued after that. Please check with the station or call 12345.',
    not_genuine: 'Not genuine',
    not_genuineBody: 'The signature is invalid, the device is unknown or the paper differs from the record. Do not rely on it; check with the station or call 12345.',
    reason: { malformed: 'the QR content is incomplete or altered', unknown_device: 'the issuing device is not enrolled', bad_signature: 'the signature is invalid', digest_mismatch: 'the paper differs from the server’s record' },
    clock: 'Note: the issue time does not fit the device’s clock; take it as approximate.',
    issued: 'Issued',
    reprint: 'reprint',
    kind: { receipt: 'Intake receipt', correction: 'Correction notice', acceptance: 'Acceptance notice', completion: 'Completion notice', refusal: 'Refusal notice' } as Record<string, string>,
    caseNumber: 'Case number',
    item: 'Service',
    applicant: 'Applicant',
    status: 'Status',
    due: { acceptance: 'Acceptance due', decision: 'Expected completion', correction: 'Correction due', none: '' } as Record<string, string>,
    estimated: 'estimated',
    statuses: {
      draft: 'being filled in', submitted: 'sent to the township, awaiting acceptance', returned: 'waiting for corrections', accepted: 'accepted, in progress',
      forwarded: 'sent to the county, in progress', completed: 'decided', delivered: 'delivered', archived: 'archived', refused: 'not accepted', withdrawn: 'withdrawn',
    } as Record<string, string>,
    help: 'Questions and complaints: 12345',
    other: '中文',
  },
}

export function pageLanguage(query: string | null, acceptLanguage: string | undefined): Lang {
  if (query === 'en') return 'en'
  if (query === 'zh') return 'zh'
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? ''
  return first.startsWith('en') ? 'en' : 'zh'
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function chinaTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}

const TONE: Record<PaperVerification['verdict'], string> = { genuine: '#0a7d32', genuine_unsynced: '#0a5fa8', device_lost: '#a86a00', not_genuine: '#b3261e' }

export function renderVerifyPage(v: PaperVerification, lang: Lang, selfPath: string): string {
  const t = TEXT[lang]
  const rows: [string, string][] = []
  if (v.kind) rows.push([t.kind[v.kind] ?? v.kind, v.reprint ? `(${t.reprint})` : ''])
  if (v.issuedAt) rows.push([t.issued, chinaTime(v.issuedAt)])
  if (v.case) {
    rows.push([t.caseNumber, v.case.number], [t.item, v.case.itemName])
    if (v.case.applicant) rows.push([t.applicant, v.case.applicant])
    rows.push([t.status, t.statuses[v.case.status] ?? v.case.status])
    if (v.case.due) rows.push([t.due[v.case.dueKind] || t.due.decision!, `${v.case.due}${v.case.dueEstimated ? ` (${t.estimated})` : ''}`])
  }
  const reason = v.reason ? `<p class="reason">${esc(t.reason[v.reason])}</p>` : ''
  const table = rows.length ? `<dl>${rows.map(([k, val]) => `<div><dt>${esc(k)}</dt><dd>${esc(val)}</dd></div>`).join('')}</dl>` : ''
  const clock = v.clockSuspect ? `<p class="clock" data-testid="clock-flag">${esc(t.clock)}</p>` : ''
  const otherLang = `${selfPath}?lang=${lang === 'zh' ? 'en' : 'zh'}`
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<meta name="robots" content="noindex">
<title>${esc(t.title)}</title>
<style>
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;background:#f4f5f7;color:#1c1c1c;font-size:17px;line-height:1.5}
main{max-width:32rem;margin:0 auto;padding:16px}
.verdict{border-radius:12px;color:#fff;padding:18px 16px;background:${TONE[v.verdict]}}
.verdict h1{margin:0 0 6px;font-size:26px;line-height:1.25}.verdict p{margin:0}
.reason{margin-top:8px!important;font-weight:600}
.clock{background:#fff4d6;border:1px solid #e0b400;border-radius:8px;padding:10px 12px;margin:12px 0 0}
dl{background:#fff;border-radius:12px;margin:12px 0 0;padding:4px 16px}
dl div{display:flex;justify-content:space-between;gap:12px;padding:10px 0;border-bottom:1px solid #e6e6e6}dl div:last-child{border-bottom:0}
dt{color:#555;flex:none}dd{margin:0;text-align:right;font-weight:600;overflow-wrap:anywhere}
footer{margin:16px 0;color:#555;font-size:15px;display:flex;justify-content:space-between}
a{color:#0a5fa8}
</style></head>
<body><main>
<section class="verdict" data-testid="verdict" data-verdict="${v.verdict}"><h1>${esc(t[v.verdict])}</h1><p>${esc(t[`${v.verdict}Body`])}</p>${reason}</section>
${clock}
${table}
<footer><span>${esc(t.help)}</span><a href="${esc(otherLang)}">${esc(t.other)}</a></footer>
</main></body></html>`
}
