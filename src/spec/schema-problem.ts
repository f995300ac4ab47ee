/**
 * The one translation of an ajv error into words a person can act on, shared by request
 * validation, fixture files and conformance configs: where the culprit is (a missing or
 * unknown property included) and what is wrong with it.
 */
import type { ErrorObject } from './ajv.js'

export interface SchemaProblem {
  /** Path segments to the culprit (JSON pointer segments, still escaped); empty for the whole value. */
  at: string[]
  /** `missing`: a required property is absent; `unknown`: a property the schema does not know. */
  kind: 'missing' | 'unknown' | 'invalid'
  /** What is wrong, as words that follow the path: "is required", "must be one of a, b". */
  words: string
}

export interface SchemaWording {
  /** `bare`: "must match ^user_"; `named` (the default): ajv's "must match pattern \"^user_\"". */
  patterns?: 'bare' | 'named'
}

/** The pattern of a field that must hold an http(s) URL. */
const HTTP_URL_PATTERN = /^\^https\?/

function wordsFor(error: ErrorObject, wording: SchemaWording): string {
  const params: Record<string, unknown> = error.params
  switch (error.keyword) {
    case 'required':
      return 'is required'
    case 'additionalProperties':
      return 'is not a known field'
    case 'false schema':
      return 'is not allowed here'
    case 'enum':
      return `must be one of ${Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : ''}`
    case 'pattern': {
      const pattern = String(params.pattern)
      if (HTTP_URL_PATTERN.test(pattern)) return 'must be an http(s) URL'
      return wording.patterns === 'bare' ? `must match ${pattern}` : (error.message ?? `must match pattern "${pattern}"`)
    }
    case 'format':
      return params.format === 'uri' ? 'must be a URL' : (error.message ?? 'is invalid')
    default:
      return error.message ?? 'is invalid'
  }
}

export function describeSchemaError(error: ErrorObject, wording: SchemaWording = {}): SchemaProblem {
  const at = error.instancePath.split('/').filter((segment) => segment !== '')
  const params: Record<string, unknown> = error.params
  const words = wordsFor(error, wording)
  if (error.keyword === 'required') return { at: [...at, String(params.missingProperty)], kind: 'missing', words }
  if (error.keyword === 'additionalProperties') return { at: [...at, String(params.additionalProperty)], kind: 'unknown', words }
  return { at, kind: 'invalid', words }
}
