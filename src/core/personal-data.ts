// Which form values are personal numbers (ID, phone, bank and card numbers) and how staff screens
// show them: masked until a clerk in scope reveals them with a reason, which the server audits.

import type { FormValues } from './case-validation'
import type { FieldSpec } from './catalogue'
import { maskIdNumber, maskMobile } from './resident'

/** Text fields holding account, card or certificate numbers, by id. */
const NUMBER_FIELD = /(^|_)(bank_account_number|bank_card|account_number|card_no|register_no|certificate_no)$/
/** Text fields named as ID or phone numbers, whatever their declared type. */
const ID_FIELD = /(^|_)id$/
const PHONE_FIELD = /phone$/

export function isPersonalNumberField(f: Pick<FieldSpec, 'id' | 'type'>): boolean {
  return f.type === 'id-number' || f.type === 'phone' || ID_FIELD.test(f.id) || PHONE_FIELD.test(f.id) || NUMBER_FIELD.test(f.id)
}

/** Any number: keep the last 4 characters. */
export function maskTail(s: string): string {
  const chars = Array.from(s)
  return chars.length <= 4 ? '*'.repeat(chars.length) : '*'.repeat(chars.length - 4) + chars.slice(-4).join('')
}

export function maskFieldValue(f: Pick<FieldSpec, 'id' | 'type'>, v: string): string {
  if (f.type === 'id-number' || ID_FIELD.test(f.id)) return maskIdNumber(v)
  if (f.type === 'phone' || PHONE_FIELD.test(f.id)) return maskMobile(v)
  return maskTail(v)
}

/** The form with every personal number masked, and the ids of the fields that were. */
export function maskForm(fields: readonly Pick<FieldSpec, 'id' | 'type'>[], form: FormValues): { form: FormValues; masked: string[] } {
  const out: FormValues = { ...form }
  const masked: string[] = []
  for (const f of fields) {
    const v = form[f.id]
    if (typeof v !== 'string' || !v || !isPersonalNumberField(f)) continue
    out[f.id] = maskFieldValue(f, v)
    masked.push(f.id)
  }
  return { form: out, masked }
}
