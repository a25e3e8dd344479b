// The printed text of papers. Papers are official documents in Chinese, whatever the screen's
// language; the screens' own words are in the message catalogues (i18n/areas/paper.*).
import type { PaperKind } from '../core'

export const TITLES: Record<PaperKind, string> = {
  receipt: '代办受理回执',
  correction: '补正告知书',
  acceptance: '受理通知书',
  completion: '办结通知',
  refusal: '不予受理通知书',
}

export const MATERIAL_FORM: Record<string, string> = { original: '原件', copy: '复印件', original_and_copy: '原件及复印件' }
export const MATERIAL_STATUS: Record<string, string> = { received: '已收', to_follow: '后补', e_certificate: '电子证照', missing: '缺' }
export const DELIVERY: Record<string, string> = { agent: '代办员送达', post: '邮寄送达', e_certificate: '电子证照', window: '窗口领取' }

/** 2026-02-12T02:00:00Z → 2026年2月12日 10:00 (China time). */
export function chinaDateTime(iso: string, withTime = true): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  const d = new Date(ms + 8 * 3600_000)
  const date = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
  return withTime ? `${date} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : date
}

/** 2026-03-27 → 2026年3月27日 */
export function chinaDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : day
}
