// English messages of the intake screens; same keys as intake.zh-CN.ts.
import type { intakeZhCN } from './intake.zh-CN'

export const intakeEn: Record<keyof typeof intakeZhCN, string> = {}
