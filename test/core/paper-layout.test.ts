import { describe, expect, it } from 'vitest'
import { dots, FORMATS, PaperFormats, qrModuleMm, QUIET_ZONE_MODULES, rollPageRule } from '../../src/core'

describe('paper-layout', () => {
  it('gives every format a module of whole printer dots, at least 5 dots on rolls and 0.5 mm on sheets, that fits the width', () => {
    for (const format of PaperFormats)
      for (const modules of [49, 53]) {
        const mm = qrModuleMm(format, modules)
        expect(Number.isInteger(mm / 0.125), `${format} ${modules}`).toBe(true)
        expect(mm).toBeGreaterThanOrEqual(FORMATS[format].roll ? 0.625 : 0.5)
        expect(mm * (modules + 2 * QUIET_ZONE_MODULES)).toBeLessThanOrEqual(FORMATS[format].printableWidthMm)
      }
  })

  it('knows the printable dots of the rolls', () => {
    expect(dots(FORMATS.roll58.printableWidthMm)).toBe(384)
    expect(dots(FORMATS.roll80.printableWidthMm)).toBe(576)
  })

  it('refuses a code too big for the roll rather than printing modules below 5 dots', () => {
    expect(() => qrModuleMm('roll58', 177)).toThrow(RangeError)
  })

  it('gives a roll both page lengths, never auto', () => {
    expect(rollPageRule('roll58', 120.2)).toBe('@page { size: 58mm 122mm; margin: 0 }')
    expect(rollPageRule('roll80', 3)).toContain('80mm 20mm')
  })
})
