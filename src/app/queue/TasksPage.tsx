// The village agent's tasks: every decision that came back from the township or county and asks
// something of the village — correct and resubmit, tell the resident the result and record the
// delivery and rating, or explain a refusal and the appeal route. Also shows that each batch the
// device sent was received.
import { useEffect, useState } from 'preact/hooks'
import type { CaseId } from '../../core/brand'
import type { AgentTask } from '../../sync/desk'
import { getDevice } from '../device'
import { formatTime } from '../format'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'
import { useSyncStatus } from './shared'

function TaskText({ task }: { task: AgentTask }) {
  switch (task.kind) {
    case 'correct':
      return (
        <span>
          <strong class="task-kind correct">{t('tasks.correct')}</strong> {t('tasks.missing')}
          {task.corrections.map((c, i) => (
            <span key={i}>
              {i > 0 && '；'}
              <strong>{c.label}</strong>（{c.reason}）
            </span>
          ))}
          {task.correctionDue && <span class="muted small"> · {t('case.correctionDue', { date: task.correctionDue })}</span>}
        </span>
      )
    case 'deliver':
      return (
        <span>
          <strong class="task-kind deliver">{t('tasks.deliver')}</strong> {task.decision ? tk(`review.complete.${task.decision.decision}`) : ''}
          {task.decision?.reason && <span class="muted small"> {task.decision.reason}</span>}
        </span>
      )
    case 'rate':
      return <strong class="task-kind deliver">{t('tasks.rate')}</strong>
    case 'refused':
      return (
        <span>
          <strong class="task-kind refused">{t('tasks.refused')}</strong> {task.refusal?.reason}
          <span class="muted small"> {t('tasks.appeal', { appeal: task.refusal?.appeal ?? '' })}</span>
        </span>
      )
  }
}

export function TasksPage() {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setVersion((v) => v + 1), 5000)
    return () => clearInterval(timer)
  }, [])
  const sync = useSyncStatus()
  useEffect(() => setVersion((v) => v + 1), [sync?.lastSuccess])
  const { value: tasks } = useLoad(() => getDevice().tasks(), [version])
  const { value: batches } = useLoad(() => getDevice().batches(30), [version])

  const act = (task: AgentTask) => {
    if (task.kind === 'correct') navigate(`/case/${task.caseId}`)
    else if (task.kind === 'deliver' || task.kind === 'rate') navigate(`/deliver/${task.caseId}`)
    else void getDevice().dismissTask(task.caseId as CaseId).then(() => setVersion((v) => v + 1))
  }

  return (
    <section class="tasks">
      <h1 class="page-title">{t('tasks.title')}</h1>
      {tasks === undefined ? (
        <p class="loading">{t('common.loading')}</p>
      ) : tasks.length === 0 ? (
        <p class="empty">{t('tasks.empty')}</p>
      ) : (
        <ul class="task-list">
          {tasks.map((task) => (
            <li key={task.caseId} class={`card task task-${task.kind}`} data-testid="task-row" data-kind={task.kind}>
              <div class="task-main">
                <p>
                  <strong>{task.applicant || '—'}</strong> {task.itemName} <span class="mono muted small">{task.number}</span>
                  <span class="muted small"> · {formatTime(task.at)}</span>
                </p>
                <p>
                  <TaskText task={task} />
                </p>
              </div>
              <div class="task-actions">
                {task.pending ? (
                  <span class="badge pending">{t('list.pending')}</span>
                ) : (
                  <button type="button" data-testid="task-act" onClick={() => act(task)}>
                    {tk(`tasks.act.${task.kind}`)}
                  </button>
                )}
                {task.kind === 'rate' && !task.pending && (
                  <button type="button" class="small-button secondary" onClick={() => void getDevice().dismissTask(task.caseId as CaseId).then(() => setVersion((v) => v + 1))}>
                    {t('tasks.noRating')}
                  </button>
                )}
                <a href={`#/case/${task.caseId}`} class="small">
                  {t('tasks.open')}
                </a>
              </div>
            </li>
          ))}
        </ul>
      )}
      {batches && batches.length > 0 && (
        <section class="card">
          <h2>{t('tasks.batches')}</h2>
          <table class="grid">
            <thead>
              <tr>
                <th>{t('queue.col.received')}</th>
                <th>{t('queue.col.cases')}</th>
                <th>{t('tasks.col.waiting')}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.key} data-testid="sent-batch">
                  <td>{t('tasks.batchReceived', { time: formatTime(b.receivedAt) })}</td>
                  <td>{b.cases}</td>
                  <td>{b.waiting}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  )
}
