// Settings: the paper this device prints on (remembered per device) and the calibration page.
import { useState } from 'preact/hooks'
import { PaperFormats, type PaperFormat } from '../../core'
import { CalibrationSheet } from '../../print/Calibration'
import { paperFormat, printNode, setPaperFormat } from '../../print/print'
import { t, type MessageKey } from '../i18n'

export function PaperSettings() {
  const [format, setFormat] = useState<PaperFormat>(paperFormat())
  return (
    <>
      <h2>
        <label for="paper-format">{t('paper.settings')}</label>
      </h2>
      <p class="muted">{t('paper.settingsHint')}</p>
      <select
        id="paper-format"
        data-testid="paper-format"
        value={format}
        onChange={(e) => {
          const f = e.currentTarget.value as PaperFormat
          setPaperFormat(f)
          setFormat(f)
        }}
      >
        {PaperFormats.map((f) => (
          <option key={f} value={f}>
            {t(`paper.format.${f}` as MessageKey)}
          </option>
        ))}
      </select>{' '}
      <button type="button" data-testid="print-calibration" onClick={() => void printNode(<CalibrationSheet format={format} origin={location.origin} />, format)}>
        {t('paper.calibrate')}
      </button>
    </>
  )
}
