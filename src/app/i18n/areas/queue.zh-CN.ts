// 简体中文 messages of the queue screens; merged into the main catalogue by ../zh-CN.ts.
export const queueZhCN = {} as const
