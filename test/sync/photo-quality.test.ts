import { describe, expect, it } from 'vitest'
import { photoQuality } from '../../src/sync/photo-quality'

function image(w: number, h: number, grey: (x: number, y: number) => number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = grey(x, y)
      px.set([v, v, v, 255], (y * w + x) * 4)
    }
  return px
}

describe('photo-quality', () => {
  it('finds a page of sharp black-on-white strokes readable', () => {
    const q = photoQuality(image(200, 150, (x, y) => ((x >> 2) % 3 === 0 && (y >> 3) % 2 === 0 ? 20 : 235)), 200, 150)
    expect(q).toMatchObject({ blurry: false, dark: false })
  })

  it('flags a smooth, edgeless picture (a blurred shot) as blurry', () => {
    const q = photoQuality(image(200, 150, (x) => 100 + x / 4), 200, 150)
    expect(q.blurry).toBe(true)
    expect(q.dark).toBe(false)
  })

  it('flags a very dark picture', () => {
    const q = photoQuality(image(200, 150, (x, y) => ((x >> 2) % 2 === 0 && (y >> 2) % 2 === 0 ? 5 : 40)), 200, 150)
    expect(q.dark).toBe(true)
    expect(q.luminance).toBeLessThan(55)
  })
})
