// 简体中文 messages of the admin screens; merged into the main catalogue by ../zh-CN.ts.
export const adminZhCN = {} as const
