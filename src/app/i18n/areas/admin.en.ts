// English messages of the admin screens; same keys as admin.zh-CN.ts.
import type { adminZhCN } from './admin.zh-CN'

export const adminEn: Record<keyof typeof adminZhCN, string> = {}
