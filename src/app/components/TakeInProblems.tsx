// The problems of a take-in attempt, errors and warnings apart: errors (red) block the take-in;
// warnings (a material to follow, 容缺) do not, are shown in a neutral box and go on the receipt.
import type { CaseProblem } from '../../core/case-validation'
import type { ServiceItem } from '../../core/catalogue'
import { fieldLabel, materialName } from '../catalogue-labels'
import { t } from '../i18n'
import { problemText } from './FieldInput'

function focusProblem(item: ServiceItem, p: CaseProblem): void {
  const field = item.fields.find((f) => `form.${f.id}` === p.path)
  const material = item.materials.find((m) => `materials.${m.id}` === p.path)
  const target = field ? document.getElementById(`f-${field.id}`) : document.querySelector<HTMLElement>(`[data-testid="material-${material?.id}"] input`)
  target?.focus()
}

function where(item: ServiceItem, p: CaseProblem): string {
  const field = item.fields.find((f) => `form.${f.id}` === p.path)
  const material = item.materials.find((m) => `materials.${m.id}` === p.path)
  return field ? fieldLabel(field) : material ? materialName(material) : p.path
}

export function TakeInProblems({ item, problems }: { item: ServiceItem; problems: CaseProblem[] }) {
  const errors = problems.filter((p) => p.severity === 'error')
  const warnings = problems.filter((p) => p.severity === 'warning')
  const list = (ps: CaseProblem[]) => (
    <ul>
      {ps.map((p, i) => (
        <li key={i} class={p.severity}>
          <button type="button" class="link" onClick={() => focusProblem(item, p)}>
            {t('case.problemAt', { where: where(item, p), problem: problemText(p) })}
          </button>
        </li>
      ))}
    </ul>
  )
  return (
    <>
      {errors.length > 0 && (
        <div class="problems" role="alert" data-testid="take-in-problems">
          <p>{t('case.errorsTitle', { count: errors.length })}</p>
          {list(errors)}
        </div>
      )}
      {warnings.length > 0 && (
        <div class="warnings" data-testid="take-in-warnings">
          <p>{t('case.warningsTitle')}</p>
          {list(warnings)}
        </div>
      )}
    </>
  )
}
