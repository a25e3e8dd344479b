import { describe, expect, it } from 'vitest'
import catalogue from '../../demo/catalogue.json'
import { FieldTypes, validateCatalogue, validateItem, type ServiceItem } from '../../src/core'

const items = catalogue.items as ServiceItem[]

describe('catalogue', () => {
  it('ships all eleven demo items, valid', () => {
    expect(validateCatalogue(catalogue)).toEqual([])
    expect(items.map((i) => i.name).sort()).toEqual(
      ['城乡居民养老保险参保登记', '城乡居民养老保险待遇领取', '城乡居民医保参保登记', '最低生活保障', '特困人员供养', '临时救助', '医疗救助（大病救助）', '残疾人两项补贴', '高龄津贴', '生育登记', '法律援助申请'].sort(),
    )
  })

  it('uses every field type across the demo catalogue', () => {
    const used = new Set(items.flatMap((i) => i.fields.map((f) => f.type)))
    expect([...used].sort()).toEqual([...FieldTypes].sort())
  })

  it('reports every problem of a broken item with its path', () => {
    const broken = {
      code: 'X',
      version: 0,
      name: '',
      type: 'grant',
      department: 'civil_affairs',
      implementingBody: '宿松县民政局',
      level: 'village',
      serviceObject: 'natural_person',
      kind: 'instant',
      legalLimitDays: 5,
      promisedLimitDays: 3,
      correctionClock: 'pause',
      tripsRequired: -1,
      fee: 0,
      materials: [{ id: 'id_card', name: '居民身份证', form: 'photo', copies: 0, required: true, eCertificate: true }, { id: 'id_card', name: '户口簿', form: 'copy', copies: 1, required: true, eCertificate: true }],
      fields: [
        { id: 'name', label: '姓名', type: 'email', required: true },
        { id: 'kind', label: '类别', type: 'select', required: true },
        { id: 'n', label: '人数', type: 'number', required: false, min: 5, max: 1, pattern: '(' },
      ],
    }
    expect(validateItem(broken, 'items[0]')).toEqual([
      'items[0].code: must be 4–40 letters, digits or dashes',
      'items[0].version: must be a whole number ≥ 1',
      'items[0].name: must be non-empty text',
      'items[0].type: must be one of administrative_licensing, administrative_payment, administrative_confirmation, public_service, other',
      'items[0].level: must be township or county',
      'items[0].tripsRequired: must be a whole number ≥ 0',
      'items[0].promisedLimitDays: an instant item has no time limit (0)',
      'items[0].materials[0].form: must be one of original, copy, original_and_copy',
      'items[0].materials[0].copies: must be a whole number ≥ 1',
      'items[0].materials[1].id: duplicate id id_card',
      'items[0].fields[0].type: must be one of text, textarea, number, money, date, select, id-number, phone, bank-account',
      'items[0].fields[1].options: a select needs options',
      'items[0].fields[2].min: greater than max',
      'items[0].fields[2].pattern: not a valid regular expression',
    ])
  })

  it('rejects a catalogue that is not a list of items, and duplicate code@version', () => {
    expect(validateCatalogue([])).toEqual(['items: the catalogue must be an object with a list "items"'])
    expect(validateCatalogue({ items: [items[0], items[0]] })).toEqual([`items[1].code: ${items[0]!.code}@1 appears twice`])
  })
})
