// English messages of the paper screens; same keys as paper.zh-CN.ts.
import type { paperZhCN } from './paper.zh-CN'

export const paperEn: Record<keyof typeof paperZhCN, string> = {}
