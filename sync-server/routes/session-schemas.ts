// Schemas of login and "who am I".

import { Type } from 'typebox'
import { Ok } from '../http/api-types'

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
)

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  scope: Type.String(),
  department: Nullable(Type.String()),
})

export const LoginAnswer = Ok({ token: Type.String(), expiresAt: Type.String(), user: UserView, mustChangePassword: Type.Boolean() })
export const MeAnswer = Ok({ user: UserView, expiresAt: Type.String() })
