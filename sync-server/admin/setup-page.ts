// The page behind the one-time setup link: a plain server-rendered form (works before the app is
// installed, without JavaScript), Chinese first with English beside it. Framework-free: the HTTP
// layer passes method, query and form body and sends back status and HTML.

import { isDaibanError } from '../../src/core'
import type { Storage } from '../storage'
import type { FieldProblem } from './accounts'
import { completeSetup, setupTokenValid, type SetupInput } from './setup'

export const SETUP_PATH = '/setup'
export const SETUP_FORM_LIMIT = 8 * 1024

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const FIELDS: { name: keyof SetupInput; zh: string; en: string; type: string; hint?: string }[] = [
  { name: 'countyCode', zh: '县（区）行政区划代码', en: 'County division code', type: 'text', hint: '6 位，如 340826' },
  { name: 'countyName', zh: '县（区）名称', en: 'County name', type: 'text', hint: '如 宿松县' },
  { name: 'username', zh: '管理员用户名', en: 'Administrator username', type: 'text', hint: '3–32 位小写字母、数字或 . _ -' },
  { name: 'displayName', zh: '姓名', en: 'Full name', type: 'text' },
  { name: 'password', zh: '密码', en: 'Password', type: 'password', hint: '至少 10 位，不得包含用户名，不得使用常见密码' },
  { name: 'passwordAgain', zh: '再次输入密码', en: 'Password again', type: 'password' },
]

const PROBLEM_ZH: Record<string, string> = {
  invalid_username: '用户名格式不正确',
  invalid_display_name: '请填写姓名（不超过 40 字）',
  invalid_scope: '请填写 6 位县级行政区划代码',
  invalid_name: '请填写县（区）名称（不超过 40 字）',
  password_too_short: '密码至少 10 位',
  password_too_long: '密码过长',
  password_contains_username: '密码不得包含用户名',
  password_common: '密码过于常见，请换一个',
  password_mismatch: '两次输入的密码不一致',
  username_taken: '用户名已被使用',
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title><style>
body{font:16px/1.5 system-ui,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin:0 0 .25rem}.en{color:#5b6775;font-size:.85em}label{display:block;margin-top:1rem;font-weight:600}
input{box-sizing:border-box;width:100%;font-size:1rem;padding:.6rem;border:1px solid #98a4b3;border-radius:6px;margin-top:.25rem;min-height:44px}
.hint{font-weight:400;color:#5b6775;font-size:.85rem}.err{color:#b3261e;font-size:.9rem;margin-top:.25rem}
.summary{background:#fdecea;border:1px solid #b3261e;padding:.75rem 1rem;border-radius:6px}
button,a.button{display:inline-block;margin-top:1.5rem;font-size:1rem;padding:.7rem 1.5rem;min-height:44px;border:0;border-radius:6px;background:#0b5cad;color:#fff;text-decoration:none;cursor:pointer}
</style></head><body><main>${body}</main></body></html>`
}

function form(token: string, values: Partial<SetupInput>, problems: FieldProblem[]): string {
  const byField = new Map<string, FieldProblem[]>()
  for (const p of problems) byField.set(p.field, [...(byField.get(p.field) ?? []), p])
  const summary = problems.length
    ? `<div class="summary" role="alert"><strong>请修改以下 ${problems.length} 处问题</strong> <span class="en">Please correct the following</span><ul>${problems
        .map((p) => `<li>${esc(PROBLEM_ZH[p.code] ?? p.message)} <span class="en">${esc(p.message)}</span></li>`)
        .join('')}</ul></div>`
    : ''
  const inputs = FIELDS.map((f) => {
    const errs = byField.get(f.name) ?? []
    const value = f.type === 'password' ? '' : esc(String(values[f.name] ?? ''))
    return `<label for="${f.name}">${f.zh} <span class="en">${f.en}</span>${f.hint ? ` <span class="hint">${esc(f.hint)}</span>` : ''}</label>
<input id="${f.name}" name="${f.name}" type="${f.type}" value="${value}" maxlength="256" ${f.type === 'password' ? 'autocomplete="new-password"' : ''}${errs.length ? ' aria-invalid="true"' : ''}>
${errs.map((e) => `<div class="err">${esc(PROBLEM_ZH[e.code] ?? e.message)}</div>`).join('')}`
  }).join('\n')
  return page(
    '创建首个管理员 · First administrator',
    `<h1>创建首个管理员</h1><div class="en">Create the first administrator</div>
<p>此链接仅可使用一次，24 小时内有效。<span class="en">This link works once, for 24 hours.</span></p>${summary}
<form method="post" action="${SETUP_PATH}"><input type="hidden" name="token" value="${esc(token)}">${inputs}
<button type="submit">创建管理员 <span class="en" style="color:#dde">Create</span></button></form>`,
  )
}

const invalidLink = () =>
  page(
    '链接无效 · Link not valid',
    `<h1>此设置链接已失效</h1><div class="en">This setup link is no longer valid</div>
<p>链接已使用、已过期或已被新链接取代，或已有管理员。请重启服务器获取新链接，或在服务器上运行
<code>npm run admin -- create-user --role admin --scope 县代码 --username 用户名</code>。</p>
<p class="en">It was used, expired or replaced, or an administrator exists. Restart the server for a new link, or run the command above on the server.</p>`,
  )

export async function setupPageRequest(storage: Storage, method: string, query: URLSearchParams, body: string): Promise<{ status: number; html: string }> {
  if (method === 'GET' || method === 'HEAD') {
    const token = query.get('token') ?? ''
    if (!(await setupTokenValid(storage, token))) return { status: 403, html: invalidLink() }
    return { status: 200, html: form(token, {}, []) }
  }
  const f = new URLSearchParams(body)
  const get = (k: string) => (f.get(k) ?? '').slice(0, 256)
  const input: SetupInput = {
    token: get('token'),
    countyCode: get('countyCode').trim(),
    countyName: get('countyName'),
    username: get('username').trim().toLowerCase(),
    displayName: get('displayName'),
    password: get('password'),
    passwordAgain: get('passwordAgain'),
  }
  try {
    const user = await completeSetup(storage, input)
    return {
      status: 201,
      html: page(
        '管理员已创建 · Administrator created',
        `<h1>管理员已创建</h1><div class="en">Administrator created</div><p>用户名 <strong>${esc(user.username)}</strong>，管辖 ${esc(user.scope)}。此设置链接已失效。</p>
<p class="en">Username ${esc(user.username)}, scope ${esc(user.scope)}. This setup link no longer works.</p><a class="button" href="/">登录 · Sign in</a>`,
      ),
    }
  } catch (e) {
    if (isDaibanError(e) && e.code === 'validation') return { status: 400, html: form(input.token, input, (e.details as { problems: FieldProblem[] }).problems) }
    if (isDaibanError(e) && e.code === 'conflict') return { status: 409, html: form(input.token, input, [{ field: 'username', code: 'username_taken', message: 'username: taken' }]) }
    if (isDaibanError(e) && e.code === 'forbidden') return { status: 403, html: invalidLink() }
    throw e
  }
}
