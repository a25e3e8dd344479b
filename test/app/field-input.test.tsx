// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FieldInput } from '../../src/app/components/FieldInput'
import type { FieldSpec } from '../../src/core'

const idField: FieldSpec = { id: 'applicant_id', label: '公民身份号码', type: 'id-number', required: true }

function mount(node: preact.VNode) {
  const root = document.createElement('div')
  document.body.append(root)
  render(node, root)
  return root
}

function type(input: HTMLInputElement, value: string) {
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('FieldInput', () => {
  it('saves every keystroke and explains a wrong ID number in Chinese once touched', async () => {
    const onSave = vi.fn()
    const root = mount(<FieldInput field={idField} value="" readOnly={false} showProblems={false} onSave={onSave} />)
    const input = root.querySelector('input')!
    type(input, '3408261956031200')
    type(input, '340826195603120018')
    expect(onSave.mock.calls.map((c) => c[0])).toEqual(['3408261956031200', '340826195603120018'])
    input.dispatchEvent(new Event('blur'))
    await new Promise((r) => setTimeout(r, 0))
    expect(root.querySelector('[role=alert]')?.textContent).toBe('身份证号码不正确')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    type(input, '340826195603120019')
    await new Promise((r) => setTimeout(r, 0))
    expect(root.querySelector('[role=alert]')).toBeNull()
  })

  it('shows "required" for an empty required field only after a take-in attempt', async () => {
    const root = mount(<FieldInput field={idField} value="" readOnly={false} showProblems={false} onSave={() => {}} />)
    expect(root.querySelector('[role=alert]')).toBeNull()
    const again = mount(<FieldInput field={idField} value="" readOnly={false} showProblems={true} onSave={() => {}} />)
    expect(again.querySelector('[role=alert]')?.textContent).toBe('必填')
  })

  it('labels the input for assistive technology and marks it read-only when sent on', () => {
    const root = mount(<FieldInput field={idField} value="340826195603120019" readOnly={true} showProblems={false} onSave={() => {}} />)
    const input = root.querySelector('input')!
    expect(root.querySelector(`label[for="${input.id}"]`)?.textContent).toContain('公民身份号码')
    expect(input.readOnly).toBe(true)
    expect(input.getAttribute('data-testid')).toBe('form-field-applicant_id')
  })
})
