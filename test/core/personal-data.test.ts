import { describe, expect, it } from 'vitest'
import { maskForm } from '../../src/core'

describe('personal-data', () => {
  it('masks ID, phone, bank and certificate numbers and names the masked fields', () => {
    const fields = [
      { id: 'applicant_name', type: 'text' },
      { id: 'applicant_id', type: 'id-number' },
      { id: 'applicant_phone', type: 'phone' },
      { id: 'bank_account_number', type: 'text' },
      { id: 'disability_certificate_no', type: 'text' },
      { id: 'household_size', type: 'number' },
    ] as const
    const { form, masked } = maskForm(fields, {
      applicant_name: '张三',
      applicant_id: '340826195603120019',
      applicant_phone: '13812345678',
      bank_account_number: '6217001234567890123',
      disability_certificate_no: '34082619560312001943',
      household_size: 3,
    })
    expect(form).toEqual({
      applicant_name: '张三',
      applicant_id: '340826********0019',
      applicant_phone: '138****5678',
      bank_account_number: '***************0123',
      disability_certificate_no: '****************1943',
      household_size: 3,
    })
    expect(masked).toEqual(['applicant_id', 'applicant_phone', 'bank_account_number', 'disability_certificate_no'])
  })

  it('masks numbers named as IDs, phones and bank cards whatever their declared type', () => {
    const fields = [
      { id: 'spouse_id', type: 'text' },
      { id: 'contact_phone', type: 'text' },
      { id: 'bank_card', type: 'text' },
      { id: 'guardian_name', type: 'text' },
    ] as const
    const { form, masked } = maskForm(fields, { spouse_id: '340826195603120019', contact_phone: '13812345678', bank_card: '6217001234567890', guardian_name: '李四' })
    expect(form).toEqual({ spouse_id: '340826********0019', contact_phone: '138****5678', bank_card: '************7890', guardian_name: '李四' })
    expect(masked).toEqual(['spouse_id', 'contact_phone', 'bank_card'])
  })
})
