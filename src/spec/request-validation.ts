/**
 * Request validation compiled once from the spec: the accepted media types, the body schema
 * of each, and the query parameters. Failures become MockErrors naming the parameter, which
 * the error handler renders in the operation's family.
 */
import { invalidJson, parameterInvalid, parameterMissing, type MockError } from '../errors.js'
import { createAjv, type ErrorObject, type ValidateFunction } from './ajv.js'
import type { JsonSchema, Operation } from './load-spec.js'
import { describeSchemaError } from './schema-problem.js'

export interface RequestValidator {
  /** Media types the operation accepts a body in; empty when it takes none. */
  mediaTypes: string[]
  bodyRequired: boolean
  validateBody(mediaType: string, body: unknown): MockError | null
  validateQuery(query: unknown): MockError | null
  /** Compile now what would otherwise compile on first use (tests use it to find bad schemas early). */
  compileAll(): void
}

/** A schema problem as Whop words it: `param` is the dotted path (`a.b`) to the culprit. */
export function toMockError(error: ErrorObject, what: 'body' | 'query'): MockError {
  const problem = describeSchemaError(error)
  const param = problem.at.join('.')
  if (param === '') {
    return what === 'body' ? invalidJson(`The request body ${problem.words}.`) : parameterInvalid(null, `The query ${problem.words}.`)
  }
  if (problem.kind === 'missing') return parameterMissing(param)
  if (problem.kind === 'unknown') return parameterInvalid(param, `Unknown parameter: ${param}.`)
  return parameterInvalid(param, `Invalid parameter: ${param} ${problem.words}.`)
}

/** Made on its first call and kept: a start compiles nothing it does not serve. */
function compiledOnUse<T>(compile: () => T): () => T {
  let compiled: { value: T } | undefined
  return () => (compiled ??= { value: compile() }).value
}

function compileQuery(operation: Operation): ValidateFunction | null {
  const query = operation.parameters.filter((p) => p.in === 'query')
  if (query.length === 0) return null
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
    required: query.filter((p) => p.required).map((p) => p.name),
  }
  return queryAjv().compile(schema)
}

const bodyAjv = compiledOnUse(() => createAjv())
// Query strings are text: let ajv read "10" as the integer a schema asks for.
const queryAjv = compiledOnUse(() => createAjv({ coerceTypes: true }))

export function compileRequestValidator(operation: Operation): RequestValidator {
  const bodies = new Map<string, () => ValidateFunction>()
  for (const [type, schema] of Object.entries(operation.requestBody?.content ?? {}))
    bodies.set(
      type,
      compiledOnUse(() => bodyAjv().compile(schema)),
    )
  const query = compiledOnUse(() => compileQuery(operation))
  return {
    mediaTypes: [...bodies.keys()],
    bodyRequired: operation.requestBody?.required ?? false,
    validateBody(mediaType, body) {
      const validate = bodies.get(mediaType)?.()
      if (validate === undefined || validate(body)) return null
      return toMockError(validate.errors![0]!, 'body')
    },
    validateQuery(value) {
      const validate = query()
      if (validate === null || validate(value)) return null
      return toMockError(validate.errors![0]!, 'query')
    },
    compileAll() {
      for (const compile of bodies.values()) compile()
      query()
    },
  }
}
