// English messages of the queue screens; same keys as queue.zh-CN.ts.
import type { queueZhCN } from './queue.zh-CN'

export const queueEn: Record<keyof typeof queueZhCN, string> = {}
