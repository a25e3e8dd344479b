// Working-day calendar: which years have official data, and loading a year's arrangement from
// the State Council notice as holiday ranges and make-up days, previewed before it is confirmed.
import { useState } from 'preact/hooks'
import { arrangementFromForm, createCalendar, type HolidayRange, type YearArrangement } from '../../../core'
import { useLoad } from '../../hooks'
import { t } from '../../i18n'
import { adminCall } from './api'

const pad = (n: number) => String(n).padStart(2, '0')

function YearPreview({ a }: { a: YearArrangement }) {
  const cal = createCalendar([a])
  const off = new Set(a.holidays)
  const makeup = new Set(a.workdays)
  let working = 0
  const months = Array.from({ length: 12 }, (_, m) => {
    const days = new Date(Date.UTC(a.year, m + 1, 0)).getUTCDate()
    const lead = new Date(Date.UTC(a.year, m, 1)).getUTCDay()
    const cells = Array.from({ length: days }, (_, i) => {
      const day = `${a.year}-${pad(m + 1)}-${pad(i + 1)}`
      if (cal.isWorkingDay(day)) working++
      const wd = (lead + i) % 7
      const cls = off.has(day) ? 'off' : makeup.has(day) ? 'makeup' : wd === 0 || wd === 6 ? 'weekend' : ''
      return { day: i + 1, cls }
    })
    return { m, lead, cells }
  })
  return (
    <div class="year-preview" data-testid="calendar-preview">
      <p>
        <strong>{t('calendar.previewTitle', { year: a.year, off: a.holidays.length, makeup: a.workdays.length, working })}</strong>{' '}
        <span class="legend off">{t('calendar.legendOff')}</span> <span class="legend makeup">{t('calendar.legendMakeup')}</span>
      </p>
      <div class="months">
        {months.map(({ m, lead, cells }) => (
          <div class="month" key={m}>
            <div class="month-name">{t('calendar.month', { month: m + 1 })}</div>
            <div class="days">
              {Array.from({ length: lead }, (_, i) => (
                <span key={`x${i}`} />
              ))}
              {cells.map((c) => (
                <span key={c.day} class={c.cls}>
                  {c.day}
                </span>
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  )
}

export function CalendarAdmin() {
  const { value, reload } = useLoad(() => adminCall<{ officialYears: number[]; loaded: YearArrangement[] }>('GET', '/api/admin/calendar'), [])
  const years = value?.ok ? value.data.officialYears : []
  const [year, setYear] = useState(() => new Date().getFullYear() + 1)
  const [source, setSource] = useState('')
  const [ranges, setRanges] = useState<HolidayRange[]>([{ name: t('calendar.newYearsDay'), from: '', to: '' }])
  const [workdays, setWorkdays] = useState<string[]>([''])
  const [preview, setPreview] = useState<YearArrangement | null>(null)
  const [problems, setProblems] = useState<string[]>([])
  const [message, setMessage] = useState<string | null>(null)

  const setRange = (i: number, k: keyof HolidayRange, v: string) => {
    setRanges(ranges.map((r, j) => (j === i ? { ...r, [k]: v } : r)))
    setPreview(null)
  }
  function doPreview() {
    const r = arrangementFromForm(year, ranges.filter((x) => x.from || x.to), workdays, source)
    setProblems(r.problems)
    setPreview(r.arrangement)
  }
  async function confirmLoad() {
    if (!preview) return
    const r = await adminCall('PUT', `/api/admin/calendar/${preview.year}`, preview)
    if (r.ok) {
      setMessage(t('calendar.done', { year: preview.year }))
      setPreview(null)
      reload()
    } else {
      const list = (r.details as { problems?: unknown[] } | null)?.problems
      setProblems(Array.isArray(list) ? list.map(String) : [r.message])
    }
  }

  return (
    <div class="admin-calendar">
      <p data-testid="calendar-years">
        {t('calendar.official')}: {years.length ? `${years[0]}–${years.at(-1)}` : '—'}
      </p>
      {(value?.ok ? value.data.loaded : []).map((a) => (
        <p key={a.year} class="muted">
          {t('calendar.loaded', { year: a.year, source: a.source ?? '—' })}
        </p>
      ))}
      {message && (
        <p class="success" role="status" data-testid="calendar-message">
          {message}
        </p>
      )}
      <h2>{t('calendar.load')}</h2>
      <div class="fields admin-form">
        <label class="field">
          <span>{t('calendar.year')}</span>
          <input type="number" min={2000} max={2200} value={year} data-testid="calendar-year" onInput={(e) => (setYear(Number((e.target as HTMLInputElement).value)), setPreview(null))} />
        </label>
        <label class="field">
          <span>{t('calendar.source')}</span>
          <input value={source} maxLength={100} onInput={(e) => setSource((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <fieldset class="ranges">
        <legend>{t('calendar.holidays')}</legend>
        {ranges.map((r, i) => (
          <div class="range-row" key={i}>
            <input aria-label={t('calendar.holidayName')} value={r.name} maxLength={10} onInput={(e) => setRange(i, 'name', (e.target as HTMLInputElement).value)} />
            <input type="date" aria-label={t('calendar.from')} data-testid={`range-from-${i}`} value={r.from} onInput={(e) => setRange(i, 'from', (e.target as HTMLInputElement).value)} />
            <span>–</span>
            <input type="date" aria-label={t('calendar.to')} data-testid={`range-to-${i}`} value={r.to} onInput={(e) => setRange(i, 'to', (e.target as HTMLInputElement).value)} />
            <button type="button" class="link" onClick={() => setRanges(ranges.filter((_, j) => j !== i))}>
              {t('calendar.remove')}
            </button>
          </div>
        ))}
        <button type="button" data-testid="add-range" onClick={() => setRanges([...ranges, { name: '', from: '', to: '' }])}>
          {t('calendar.addHoliday')}
        </button>
      </fieldset>
      <fieldset class="ranges">
        <legend>{t('calendar.workdays')}</legend>
        {workdays.map((d, i) => (
          <div class="range-row" key={i}>
            <input type="date" data-testid={`workday-${i}`} value={d} onInput={(e) => (setWorkdays(workdays.map((x, j) => (j === i ? (e.target as HTMLInputElement).value : x))), setPreview(null))} />
            <button type="button" class="link" onClick={() => setWorkdays(workdays.filter((_, j) => j !== i))}>
              {t('calendar.remove')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setWorkdays([...workdays, ''])}>
          {t('calendar.addWorkday')}
        </button>
      </fieldset>
      {problems.length > 0 && (
        <ul class="problems" role="alert" data-testid="calendar-problems">
          {problems.map((p) => (
            <li key={p} class="mono">
              {p}
            </li>
          ))}
        </ul>
      )}
      <div class="toolbar">
        <button type="button" data-testid="calendar-preview-button" onClick={doPreview}>
          {t('calendar.preview')}
        </button>
        <button type="button" class="primary" data-testid="calendar-confirm" disabled={!preview} onClick={() => void confirmLoad()}>
          {t('calendar.confirm')}
        </button>
      </div>
      {preview && <YearPreview a={preview} />}
    </div>
  )
}
