// Schema checking for every route (Ajv, as Fastify does by default) with two differences that
// matter for untrusted input: JSON bodies are never coerced (42 is not the text "42"), and extra
// fields are refused, not silently removed. Query strings, path parameters and headers are text
// on the wire, so there numbers and booleans are converted as the schema says.

import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchema, FastifySchemaCompiler } from 'fastify'

const BASE: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false }

function make(options: Options): Ajv {
  const ajv = new Ajv({ ...BASE, ...options })
  addFormats(ajv)
  // OpenAPI's name for bytes; such bodies are checked by their route, not here.
  ajv.addFormat('binary', true)
  return ajv
}

const forBody = make({ coerceTypes: false })
const forText = make({ coerceTypes: 'array' })

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? forBody : forText).compile(schema as object) as ReturnType<FastifySchemaCompiler<FastifySchema>>
