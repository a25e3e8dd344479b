// 简体中文 messages of the intake screens; merged into the main catalogue by ../zh-CN.ts.
export const intakeZhCN = {} as const
