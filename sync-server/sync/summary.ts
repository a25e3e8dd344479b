// What queue lists show of a case without opening it: masked applicant data and the item.

import type * as Y from 'yjs'
import { maskIdNumber, maskName, readForm, readMeta, type ServiceItem } from '../../src/core'
import type { CaseSummary } from '../storage'

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
  }
}
