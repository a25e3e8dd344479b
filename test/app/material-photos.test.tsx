// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { click, demoItem, fakeDevice, mount, settle } from '../helpers/app-device'

const device = vi.hoisted(() => ({ current: null as unknown }))
vi.mock('../../src/app/device', () => ({ getDevice: () => device.current, Comlink: { proxy: (f: unknown) => f } }))

const { MaterialRow } = await import('../../src/app/components/MaterialRow')
const spec = demoItem('高龄津贴').materials.find((m) => m.id === 'id_card')!

beforeEach(() => {
  device.current = fakeDevice()
  URL.createObjectURL = vi.fn(() => 'blob:photo')
  URL.revokeObjectURL = vi.fn()
})
afterEach(() => {
  document.body.innerHTML = ''
})

function row(over: Partial<Parameters<typeof MaterialRow>[0]> = {}) {
  const props = {
    spec,
    state: { status: 'received' as const, copies: 1, photos: [] },
    photos: [{ hash: 'h1' }],
    readOnly: false,
    problem: null,
    onChange: vi.fn(),
    onPhoto: vi.fn(async () => 'h2'),
    onRotate: vi.fn(async () => {}),
    onDelete: vi.fn(async () => {}),
    ...over,
  }
  return { props, root: mount(<MaterialRow {...props} />) }
}

/** Waits for an element (the photo viewer loads as its own chunk). */
async function find(root: HTMLElement, selector: string): Promise<Element> {
  for (let i = 0; i < 100; i++) {
    const el = root.querySelector(selector)
    if (el) return el
    await settle(1)
  }
  throw new Error(`${selector} never appeared`)
}

function choose(root: HTMLElement, file: File) {
  const input = root.querySelector<HTMLInputElement>('input[type=file]')!
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change', { bubbles: true }))
}

describe('MaterialRow photos', () => {
  it('says at once that a non-image file cannot be used, without sending it to the worker', async () => {
    const { props, root } = row()
    choose(root, new File(['hello'], 'notes.txt', { type: 'text/plain' }))
    await settle()
    expect(props.onPhoto).not.toHaveBeenCalled()
    expect(root.querySelector('[data-testid=material-id_card-photo-error]')?.textContent).toBe('“notes.txt”不是可以打开的图片，请重新拍照或选择 JPG / PNG 图片')
  })

  it('says so too when the worker cannot decode a file that claims to be an image', async () => {
    const { root } = row({ onPhoto: vi.fn(async () => Promise.reject(new Error('not_image'))) })
    choose(root, new File([new Uint8Array([1, 2, 3])], 'broken.jpg', { type: 'image/jpeg' }))
    await settle()
    expect(root.querySelector('[data-testid=material-id_card-photo-error]')?.textContent).toContain('“broken.jpg”不是可以打开的图片')
  })

  it('opens a photo full-screen, rotates it and deletes it (after asking) before take-in', async () => {
    const { props, root } = row()
    click(root.querySelector('[data-testid=photo-open]'))
    expect((await find(root, '[data-testid=photo-viewer]')).getAttribute('role')).toBe('dialog')
    expect(((await find(root, '[data-testid=photo-full]')) as HTMLImageElement).src).toBe('blob:photo')
    click(root.querySelector('[data-testid=photo-rotate]'))
    await settle()
    expect(props.onRotate).toHaveBeenCalledWith('h1')
    click(root.querySelector('[data-testid=photo-open]'))
    click(await find(root, '[data-testid=photo-delete]'))
    expect(props.onDelete).not.toHaveBeenCalled()
    await settle()
    click(root.querySelector('[data-testid=photo-delete-confirm]'))
    await settle()
    expect(props.onDelete).toHaveBeenCalledWith('h1')
  })

  it('offers neither rotate nor delete once the case is taken in', async () => {
    const { root } = row({ readOnly: true })
    // The controls that change the material are disabled; the viewer itself must not offer the tools either.
    const { PhotoViewer } = await import('../../src/app/components/PhotoViewer')
    const viewer = mount(<PhotoViewer hash="h1" alt="x" editable={false} onRotate={vi.fn()} onDelete={vi.fn()} onClose={vi.fn()} />)
    await settle()
    // The viewer is there (so the absent tools are not just an absent viewer).
    expect(viewer.querySelector('[data-testid=photo-viewer]')).not.toBeNull()
    expect(viewer.querySelector('[data-testid=photo-close]')).not.toBeNull()
    expect(viewer.querySelector('[data-testid=photo-rotate]')).toBeNull()
    expect(viewer.querySelector('[data-testid=photo-delete]')).toBeNull()
    const inputs = [...root.querySelectorAll<HTMLInputElement>('input')]
    expect(inputs.length).toBeGreaterThan(2)
    expect(inputs.every((i) => i.disabled)).toBe(true)
    // The photo still opens full-screen for checking.
    const open = root.querySelector<HTMLButtonElement>('[data-testid=photo-open]')!
    expect(open.disabled || open.closest('fieldset')?.disabled).toBe(false)
  })

  it('warns about a blurred or dark photo', async () => {
    const blurred = row({ photos: [{ hash: 'h1', quality: { blurry: true, dark: false } }] }).root
    expect(blurred.querySelector('[data-testid=material-id_card-photo-warning]')?.textContent).toBe('照片可能模糊，请确认文字清晰可读，必要时重拍')
    const dark = row({ photos: [{ hash: 'h1', quality: { blurry: true, dark: true } }] }).root
    expect(dark.querySelector('[data-testid=material-id_card-photo-warning]')?.textContent).toBe('照片太暗，请在光线充足处重拍')
    expect(row().root.querySelector('[data-testid=material-id_card-photo-warning]')).toBeNull()
  })
})
