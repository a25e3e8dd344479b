// The password rule for accounts made by an administrator, by the first-run setup and by the
// shell command: long enough to resist guessing at the login throttle's pace, never the
// username, never one of the passwords people pick first.

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 256

export const PasswordProblem = {
  tooShort: 'password_too_short',
  tooLong: 'password_too_long',
  containsUsername: 'password_contains_username',
  common: 'password_common',
} as const
export type PasswordProblem = (typeof PasswordProblem)[keyof typeof PasswordProblem]

/** Passwords of ten or more characters that lead the published leak lists, in China and abroad. */
const COMMON = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '1234567891', '12345678910', '123456789a', 'a123456789',
  '123456789q', 'q123456789', '1111111111', '0000000000', '5201314520', '5201314521', '1314520520', 'woaini1314',
  'woaini520', 'qwertyuiop', 'qwerty1234', '1qaz2wsx3edc', '1q2w3e4r5t', 'q1w2e3r4t5', 'qazwsxedc123', 'asdfghjkl;',
  'password123', 'password12', 'password1!', 'passw0rd123', 'iloveyou123', 'abc1234567', 'abcd123456', 'abcdefghij',
  'admin12345', 'admin123456', 'administrator', 'zxcvbnm123', 'asdf123456', 'qwe1234567', 'aa12345678', 'aaaaaaaaaa',
  'welcome123', 'letmein123', 'football12', 'baseball12', 'sunshine12', 'princess12', 'superman12', 'dragon1234',
  'daiban12345', 'daibanpass', 'changeme123', 'changeme12', 'p@ssw0rd123', 'P@ssw0rd123', 'qq123456789', 'wangyang123',
])

function isRunOrRepeat(p: string): boolean {
  if (/^(.)\1+$/.test(p)) return true
  let up = true
  let down = true
  for (let i = 1; i < p.length; i++) {
    const d = p.charCodeAt(i) - p.charCodeAt(i - 1)
    if (d !== 1) up = false
    if (d !== -1) down = false
  }
  return up || down
}

/** Every problem of a proposed password, empty when it may be used. */
export function passwordProblems(password: string, username: string): PasswordProblem[] {
  const problems: PasswordProblem[] = []
  const chars = [...password].length
  if (chars < PASSWORD_MIN_LENGTH) problems.push(PasswordProblem.tooShort)
  if (chars > PASSWORD_MAX_LENGTH) problems.push(PasswordProblem.tooLong)
  const lower = password.toLowerCase()
  const name = username.trim().toLowerCase()
  if (name.length >= 3 && lower.includes(name)) problems.push(PasswordProblem.containsUsername)
  if (COMMON.has(lower) || COMMON.has(password) || isRunOrRepeat(lower)) problems.push(PasswordProblem.common)
  return problems
}

export const PasswordProblemText: Record<PasswordProblem, string> = {
  password_too_short: `the password needs at least ${PASSWORD_MIN_LENGTH} characters`,
  password_too_long: `the password may have at most ${PASSWORD_MAX_LENGTH} characters`,
  password_contains_username: 'the password must not contain the username',
  password_common: 'this password is too common; choose another',
}
