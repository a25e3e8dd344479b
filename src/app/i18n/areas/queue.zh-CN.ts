// 简体中文 messages of the queue area needed before any staff screen loads (navigation); merged
// into the main catalogue by ../zh-CN.ts. The screens' own messages are in queue.screens.zh-CN.ts,
// loaded with the screens so the agent's first download stays small.
export const queueZhCN = {
  'app.loadFailed': '页面加载失败，请联网后刷新',
  'nav.admin': '管理',
  'nav.queue': '待办队列',
  'nav.supervision': '督办',
  'nav.metrics': '服务指标',
  'nav.tasks': '待办任务',
  'nav.allCases': '全部案件',
  'command.answerFollowUp': '答复差评回访',
  'command.voidRating': '作废评价',
  'history.voided': '（已作废：{reason}）',
} as const
