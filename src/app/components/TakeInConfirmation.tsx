// Shown where the 收件 button was, the moment a case is taken in: focus moves here and it is
// scrolled to the middle of the screen, so on a tablet the agent's eyes find the case number
// (in large type) without hunting. `children` is the slot for actions beside it (printing the
// receipt, when the paper screens add it).
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { t } from '../i18n'

export function TakeInConfirmation(props: { number: string; children?: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    box.current?.focus({ preventScroll: true })
    box.current?.scrollIntoView?.({ block: 'center', behavior: 'smooth' })
  }, [])
  return (
    <div class="taken-in-confirmation" ref={box} tabIndex={-1} role="status" aria-live="polite" data-testid="taken-in">
      <p class="taken-in-title">✓ {t('case.takenInTitle')}</p>
      <p>
        {t('case.takenInNumber')}
        <br />
        <strong class="taken-in-number mono" data-testid="taken-in-number">
          {props.number}
        </strong>
      </p>
      <p class="muted">{t('case.takenInHint')}</p>
      {props.children && (
        <div class="taken-in-actions" data-testid="taken-in-actions">
          {props.children}
        </div>
      )}
    </div>
  )
}
