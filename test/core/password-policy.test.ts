import { describe, expect, it } from 'vitest'
import { passwordProblems } from '../../src/core'

describe('password-policy', () => {
  it('accepts a long password unrelated to the username', () => {
    expect(passwordProblems('Wintersun-Kettle-19', 'wang')).toEqual([])
    expect(passwordProblems('春江花月夜二〇二七年', 'wang')).toEqual([]) // ten characters, not ten bytes
  })
  it('names every problem at once', () => {
    expect(passwordProblems('wang123', 'wang')).toEqual(['password_too_short', 'password_contains_username'])
    expect(passwordProblems('WANGfang2027', 'wangfang')).toEqual(['password_contains_username'])
  })
  it('refuses common passwords, runs and repeats', () => {
    for (const p of ['1234567890', 'qwertyuiop', 'Password123', 'aaaaaaaaaaaa', 'abcdefghijk', '9876543210', '5201314520']) expect(passwordProblems(p, 'someone')).toContain('password_common')
  })
})
