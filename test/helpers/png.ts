// Pictures for upload tests: a real PNG (a camera photo stand-in) and reading a JPEG's size.
import { encodePng } from '../../scripts/lib/png'

/** A width × height colour gradient. */
export function makePng(width: number, height: number): Buffer {
  return encodePng(width, height, 3, (x, y) => [(x * 255) / width, (y * 255) / height, 128])
}

/** Width and height from a JPEG's start-of-frame marker; null if the bytes are not a JPEG. */
export function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null
  let i = 2
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null
    const marker = b[i + 1]!
    const len = (b[i + 2]! << 8) | b[i + 3]!
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! }
    i += 2 + len
  }
  return null
}
