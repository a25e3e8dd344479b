// The items a township asked to correct, as the agent's case page and the review page list them.
import type { CaseView } from '../../sync/device-service'

type Correction = NonNullable<CaseView['workflow']['state']>['corrections'][number]

export function CorrectionList({ corrections }: { corrections: readonly Correction[] }) {
  return (
    <ol>
      {corrections.map((c, i) => (
        <li key={i}>
          <strong>{c.label}</strong>：{c.reason}
        </li>
      ))}
    </ol>
  )
}
