import { describe, expect, it } from 'vitest'
import { arrangementFromForm, createCalendar } from '../../src/core'

describe('arrangement-form', () => {
  it('turns holiday ranges and make-up days into the calendar of the year', () => {
    const r = arrangementFromForm(2031, [{ name: '元旦', from: '2031-01-01', to: '2031-01-03' }], ['2031-01-04'], ' 国办发明电〔2030〕1号 ')
    expect(r.problems).toEqual([])
    expect(r.arrangement).toEqual({ year: 2031, holidays: ['2031-01-01', '2031-01-02', '2031-01-03'], workdays: ['2031-01-04'], source: '国办发明电〔2030〕1号' })
    const cal = createCalendar([r.arrangement!])
    expect(cal.hasOfficialData(2031)).toBe(true)
    expect(cal.isWorkingDay('2031-01-02')).toBe(false) // a Thursday off
    expect(cal.isWorkingDay('2031-01-04')).toBe(true) // a Saturday worked
  })
  it('names each wrong row', () => {
    const r = arrangementFromForm(2031, [{ name: '', from: '2031-02-10', to: '2031-02-01' }, { name: '', from: '2031-10-01', to: '2031-10-30' }, { name: '', from: 'x', to: '2031-01-01' }], ['2031-01-06'])
    expect(r.arrangement).toBeNull()
    expect(r.problems).toEqual(['holidays[0]: ends before it starts', 'holidays[1]: longer than 15 days', 'holidays[2]: from and to must be days YYYY-MM-DD', 'workdays[0]: 2031-01-06 is a weekday already'])
  })
})
