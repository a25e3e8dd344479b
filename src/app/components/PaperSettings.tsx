// Settings: the paper this device prints on (remembered per device) and the calibration page,
// whose view and QR encoder load when it is printed.
import { useState } from 'preact/hooks'
import { PaperFormats, type PaperFormat } from '../../core/paper-layout'
import { paperFormat, setPaperFormat } from '../../print/paper-format'
import { t, type MessageKey } from '../i18n'
import { usePaperMessages } from './paper-messages'

async function printCalibration(format: PaperFormat): Promise<void> {
  const [{ CalibrationSheet }, { printNode }] = await Promise.all([import('../../print/Calibration'), import('../../print/print')])
  await printNode(<CalibrationSheet format={format} origin={location.origin} />, format)
}

export function PaperSettings() {
  const [format, setFormat] = useState<PaperFormat>(paperFormat())
  if (!usePaperMessages()) return null
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
      <button type="button" data-testid="print-calibration" onClick={() => void printCalibration(format)}>
        {t('paper.calibrate')}
      </button>
    </>
  )
}
