// Draws the app icons (a seal-red square with a white house and a tick: "done for you at the
// village") into public/icons as PNG. Run once when the design changes; the PNGs are committed.

import { writeFileSync, mkdirSync } from 'node:fs'
import { encodePng } from './lib/png'

const RED = [0xc0, 0x39, 0x2b]
const WHITE = [0xff, 0xff, 0xff]

/** Coverage of the glyph at unit coordinates (0..1), 4×4 supersampled by the caller. */
function glyph(u: number, v: number): boolean {
  // roof: triangle from (0.2,0.45) to (0.5,0.18) to (0.8,0.45), 0.07 thick
  const roofL = Math.abs(v - (0.45 - (u - 0.2) * 0.9)) < 0.05 && u >= 0.2 && u <= 0.5
  const roofR = Math.abs(v - (0.18 + (u - 0.5) * 0.9)) < 0.05 && u >= 0.5 && u <= 0.8
  // walls
  const walls = u >= 0.28 && u <= 0.72 && v >= 0.45 && v <= 0.8 && !(u > 0.34 && u < 0.66 && v > 0.5 && v < 0.74)
  // tick inside
  const tick1 = Math.abs(v - (0.6 + (u - 0.39) * 1)) < 0.035 && u >= 0.39 && u <= 0.47
  const tick2 = Math.abs(v - (0.68 - (u - 0.47) * 1.2)) < 0.035 && u >= 0.47 && u <= 0.61
  return roofL || roofR || walls || tick1 || tick2
}

function icon(size: number, maskable: boolean): Buffer {
  const radius = maskable ? 0 : 0.18
  const inset = maskable ? 0.2 : 0 // maskable icons keep the glyph in the safe zone
  return encodePng(size, size, 4, (x, y) => {
    let cover = 0
    let inside = 0
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const u = (x + (sx + 0.5) / 4) / size
        const v = (y + (sy + 0.5) / 4) / size
        const dx = Math.max(radius - u, u - (1 - radius), 0)
        const dy = Math.max(radius - v, v - (1 - radius), 0)
        if (dx * dx + dy * dy <= radius * radius) inside++
        const gu = (u - inset) / (1 - 2 * inset)
        const gv = (v - inset) / (1 - 2 * inset)
        if (glyph(gu, gv)) cover++
      }
    const a = Math.round((inside / 16) * 255)
    const t = cover / 16
    return [0, 1, 2].map((i) => Math.round(RED[i]! * (1 - t) + WHITE[i]! * t)).concat(a)
  })
}

mkdirSync('public/icons', { recursive: true })
writeFileSync('public/icons/icon-192.png', icon(192, false))
writeFileSync('public/icons/icon-512.png', icon(512, false))
writeFileSync('public/icons/maskable-512.png', icon(512, true))
writeFileSync('public/icons/apple-touch-icon.png', icon(180, true))
console.log('icons written to public/icons')
