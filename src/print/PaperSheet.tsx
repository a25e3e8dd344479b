// One paper, rendered from its content (built from the case on the device) and its signed
// payload. The same component serves every format; print.css.ts sizes it.
import { FORMATS, paperUrl, type PaperContent, type PaperFormat } from '../core'
import { chinaDateTime, chinaDay, DELIVERY, MATERIAL_FORM, MATERIAL_STATUS, TITLES } from './labels'
import { QrSvg } from './qr'

export interface SheetProps {
  content: PaperContent
  payload: string
  origin: string
  format: PaperFormat
  seq: number
}

/** A case number breaks only after the village code, never inside a part a resident reads out. */
function CaseNumberText({ n }: { n: string }) {
  const cut = n.indexOf('-') + 1
  if (cut <= 0) return <>{n}</>
  return (
    <>
      <span class="nowrap">{n.slice(0, cut)}</span>
      <wbr />
      <span class="nowrap">{n.slice(cut)}</span>
    </>
  )
}

function Row({ k, v, testId }: { k: string; v: string; testId?: string }) {
  return (
    <div class="p-row" data-testid={testId}>
      <span class="p-k">{k}</span>
      <span class="p-v">{v}</span>
    </div>
  )
}

function Materials({ c }: { c: PaperContent }) {
  return (
    <table class="p-materials">
      <thead>
        <tr>
          <th>材料名称</th>
          <th>形式</th>
          <th>份数</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        {c.materials.map((m, i) => (
          <tr key={i}>
            <td>{m.name}</td>
            <td>{MATERIAL_FORM[m.form] ?? m.form}</td>
            <td>{m.copies}</td>
            <td>{MATERIAL_STATUS[m.status] ?? m.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Applicant({ c }: { c: PaperContent }) {
  return (
    <>
      <Row k="申请人" v={c.residentName} />
      {c.residentIdMasked && <Row k="身份证号" v={c.residentIdMasked} />}
      {c.residentPhoneMasked && <Row k="联系电话" v={c.residentPhoneMasked} />}
    </>
  )
}

/** Ends a free-text reason with a full stop when it has none, so the next sentence does not run on. */
function sentence(s: string): string {
  return /[。！？.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}。`
}

function expected(c: PaperContent): string {
  return c.expectedOn ? `${chinaDay(c.expectedOn)}${c.expectedEstimated ? '（预计）' : ''}` : ''
}

function Receipt({ c }: { c: PaperContent }) {
  return (
    <>
      <Row k="服务站" v={`${c.station}便民服务站`} />
      <Row k="乡镇" v={c.township} />
      <Row k="事项" v={c.itemName} />
      <Applicant c={c} />
      <Row k="代办员" v={c.agent} />
      <Row k="受理时间" v={chinaDateTime(c.eventAt)} />
      <Row k="承诺时限" v={c.limitDays > 0 ? `${c.limitDays}个工作日` : '即办'} />
      {c.expectedOn && <Row k="预计办结" v={expected(c)} testId="paper-expected" />}
      <h3>收取材料</h3>
      <Materials c={c} />
      <Row k="结果送达" v={DELIVERY[c.delivery] ?? c.delivery} />
      <p class="p-note">查询进度：扫描二维码，或凭办件编号向代办点、乡镇便民服务中心查询。投诉电话：12345</p>
    </>
  )
}

function Notice({ c }: { c: PaperContent }) {
  const item = `「${c.itemName}」`
  return (
    <>
      <Row k="事项" v={c.itemName} />
      <Applicant c={c} />
      {c.kind === 'correction' && (
        <>
          <p class="p-body">经审查，您申请的{item}材料不齐全或不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知需补正的全部内容：</p>
          <ol class="p-corrections">
            {c.corrections.map((x, i) => (
              <li key={i}>
                <b>{x.label}</b>：{x.reason}
              </li>
            ))}
          </ol>
          <p class="p-body">
            {c.correctionDue ? `请于${chinaDay(c.correctionDue)}前补正。` : '请尽快补正。'}
            {c.clockNote}
          </p>
        </>
      )}
      {c.kind === 'acceptance' && (
        <p class="p-body">
          您申请的{item}，申请材料齐全、符合法定形式，本机关决定予以受理。承诺办结时限{c.limitDays}个工作日{c.expectedOn ? `，预计${expected(c)}前办结` : ''}。
        </p>
      )}
      {c.kind === 'completion' && (
        <p class="p-body">
          您申请的{item}已办结，决定：{c.decision === 'approved' ? '准予' : '不予'}。{c.reason ? `理由：${sentence(c.reason)}` : ''}结果将以{DELIVERY[c.delivery] ?? c.delivery}方式送达。
        </p>
      )}
      {c.kind === 'refusal' && (
        <>
          <p class="p-body">您申请的{item}，经审查，本机关决定不予受理。</p>
          <p class="p-body">理由：{c.reason}</p>
          <p class="p-body">如不服本决定，{c.appeal}</p>
        </>
      )}
    </>
  )
}

export function PaperSheet({ content: c, payload, origin, format, seq }: SheetProps) {
  return (
    <article class={`paper paper-${format}`} data-testid="paper" data-kind={c.kind} data-format={format} style={{ width: `${FORMATS[format].printableWidthMm}mm` }}>
      {c.office && c.kind !== 'receipt' && <div class="p-office">{c.office}</div>}
      <h1 class="p-title">
        {TITLES[c.kind]}
        {c.reprint && <span class="p-reprint">补打</span>}
      </h1>
      <div class="p-number">
        <span class="p-k">办件编号</span>
        <span class="p-case" data-testid="paper-case-number">
          <CaseNumberText n={c.caseNumber} />
        </span>
      </div>
      {c.kind === 'receipt' ? <Receipt c={c} /> : <Notice c={c} />}
      {/* On a sheet the QR code sits beside the signatures or the seal; on a roll below them. */}
      <div class="p-foot">
        {c.kind === 'receipt' ? (
          <div class="p-signs">
            <span>代办员签字：</span>
            <span>申请人签字：</span>
          </div>
        ) : (
          <div class="p-issuer">
            <div class="p-seal" aria-label="盖章处">（盖章）</div>
            <div>
              <div>{c.office}</div>
              <div>{chinaDateTime(c.eventAt, false)}</div>
            </div>
          </div>
        )}
        <div class="p-qr">
          <QrSvg text={paperUrl(origin, payload)} format={format} testId="paper-qr" />
          <p class="p-qr-caption">扫码核验真伪、查询进度</p>
          <p class="p-qr-caption">单据序号 {seq}</p>
        </div>
      </div>
    </article>
  )
}
