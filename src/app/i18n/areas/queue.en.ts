// English messages of the queue area needed at start; same keys as queue.zh-CN.ts.
import type { queueZhCN } from './queue.zh-CN'

export const queueEn: Record<keyof typeof queueZhCN, string> = {
  'app.loadFailed': 'This page could not be loaded; reload when online',
  'nav.admin': 'Admin',
  'nav.queue': 'Queue',
  'nav.supervision': 'Supervision',
  'nav.metrics': 'Service figures',
  'nav.tasks': 'Tasks',
  'nav.allCases': 'All cases',
  'command.answerFollowUp': 'Answer the follow-up',
  'command.voidRating': 'Void the rating',
  'history.voided': ' (voided: {reason})',
}
