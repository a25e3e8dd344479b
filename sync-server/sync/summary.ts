// What queue lists show of a case without opening it: masked applicant data and the item, plus
// who took it in and a search key (name and pinyin initials) the storage keeps in its own column.

import { pinyin } from 'pinyin-pro'
import type * as Y from 'yjs'
import { maskIdNumber, maskName, readForm, readMeta, type ServiceItem } from '../../src/core'
import type { CaseSummary } from '../storage'

/** 张三 → "张三 zs zhangsan": found by a part of the name, the initials or the full pinyin. */
export function nameSearchKey(name: string): string {
  const n = name.trim().slice(0, 64)
  if (!n) return ''
  const initials = pinyin(n, { pattern: 'first', toneType: 'none', separator: '', nonZh: 'consecutive' })
  const full = pinyin(n, { toneType: 'none', separator: '', nonZh: 'consecutive' })
  return `${n} ${initials} ${full}`.toLowerCase()
}

export function summarise(doc: Y.Doc, item: Pick<ServiceItem, 'code' | 'name'>): CaseSummary {
  const form = readForm(doc)
  const meta = readMeta(doc)
  const name = typeof form.applicant_name === 'string' ? form.applicant_name : ''
  const id = typeof form.applicant_id === 'string' ? form.applicant_id : ''
  return {
    item: item.code,
    itemName: item.name,
    applicant: name ? maskName(name) : '',
    applicantId: id ? maskIdNumber(id) : '',
    createdAt: meta.createdAt ?? '',
    ...(typeof meta.createdBy === 'string' ? { createdBy: meta.createdBy } : {}),
    ...(typeof meta.device === 'string' ? { device: meta.device } : {}),
    nameKey: nameSearchKey(name),
  }
}
