// 简体中文 messages of the paper screens; merged into the main catalogue by ../zh-CN.ts.
export const paperZhCN = {} as const
