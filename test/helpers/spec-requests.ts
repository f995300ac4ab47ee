/**
 * Requests generated from one operation of the spec: path, query, body and credential drawn from
 * its schemas, then classified by ajv as schema-valid or not (what the generator aimed at does not count).
 */
import fc from 'fast-check'
import { parse as parseQuery } from 'node:querystring'
import { createAjv } from '../../src/spec/ajv.js'
import type { JsonSchema, Operation } from '../../src/spec/load-spec.js'
import { invalidValue, validValue, type Hints } from './schema-arbitrary.js'

export interface GeneratedRequest {
  method: Operation['method']
  /** Path and query, ready to append to the mock's URL. */
  path: string
  headers: Record<string, string>
  body: string | undefined
  /** Whether every part satisfies the spec's request schemas. */
  schemaValid: boolean
}

const strictAjv = createAjv()
const queryAjv = createAjv({ coerceTypes: true })
const compiled = new WeakMap<object, (value: unknown) => boolean>()

function accepts(schema: JsonSchema, value: unknown, coerce = false): boolean {
  if (typeof schema === 'boolean') return schema
  let validate = compiled.get(schema)
  if (validate === undefined) {
    const fn = (coerce ? queryAjv : strictAjv).compile(schema)
    validate = (v: unknown) => fn(structuredClone(v)) === true
    compiled.set(schema, validate)
  }
  return validate(value)
}

/** Query strings and form bodies: scalars as text, arrays as repeated keys, anything else as JSON. */
function encodePairs(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return encodeURIComponent(String(value))
  const pairs = new URLSearchParams()
  for (const [key, item] of Object.entries(value)) {
    for (const one of Array.isArray(item) ? item : [item])
      if (one !== undefined) pairs.append(key, typeof one === 'object' && one !== null ? JSON.stringify(one) : String(one))
  }
  return pairs.toString()
}

const JSON_TYPES = new Set(['application/json'])
const FORM = 'application/x-www-form-urlencoded'

interface Part<T> {
  value: T
  valid: boolean
}

function bodyArbitrary(op: Operation, hints: Hints): fc.Arbitrary<Part<{ type: string; text: string } | undefined>> {
  const content = Object.entries(op.requestBody?.content ?? {})
  const none = fc.constant({ value: undefined, valid: !(op.requestBody?.required ?? false) })
  if (content.length === 0) return none
  const options = content.map(([type, schema]) => {
    if (!JSON_TYPES.has(type) && type !== FORM)
      return fc
        .uint8Array({ maxLength: 64 })
        .map((bytes) => ({ value: { type, text: Buffer.from(bytes).toString('latin1') }, valid: true }))
    return fc.oneof(validValue(schema, hints), invalidValue(schema, hints)).map((value) => {
      const text = type === FORM ? encodePairs(value) : JSON.stringify(value ?? null)
      const parsed = type === FORM ? { ...parseQuery(text) } : JSON.parse(text)
      return { value: { type, text }, valid: accepts(schema, parsed) }
    })
  })
  const foreign = fc.constant({ value: { type: 'text/plain', text: 'grant_type=x' }, valid: false })
  return fc.oneof(none, foreign, ...options, ...options)
}

function queryArbitrary(op: Operation, hints: Hints): fc.Arbitrary<Part<string>> {
  const query = op.parameters.filter((p) => p.in === 'query')
  if (query.length === 0) return fc.constant({ value: '', valid: true })
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
    required: query.filter((p) => p.required).map((p) => p.name),
  }
  return fc.oneof(validValue(schema, hints), validValue(schema, hints), invalidValue(schema, hints)).map((value) => {
    const text = encodePairs(value)
    return { value: text === '' ? '' : `?${text}`, valid: accepts(schema, { ...parseQuery(text) }, true) }
  })
}

function pathArbitrary(op: Operation, hints: Hints): fc.Arbitrary<Part<string>> {
  const params = op.parameters.filter((p) => p.in === 'path')
  const values = params.map((p) =>
    fc
      .oneof(validValue(p.schema, hints), invalidValue(p.schema, hints))
      .map(String)
      .filter((s) => s.length > 0)
      .map((s) => ({ name: p.name, s, valid: accepts(p.schema, s) })),
  )
  return fc.tuple(...values).map((parts) => ({
    value: parts.reduce((path, part) => path.replace(`{${part.name}}`, encodeURIComponent(part.s)), op.path),
    valid: parts.every((part) => part.valid),
  }))
}

/** Requests to `op`, each with one of `credentials` (or none) as its Bearer when the operation takes one. */
export function requestArbitrary(op: Operation, hints: Hints, credentials: () => string[]): fc.Arbitrary<GeneratedRequest> {
  const bearer = op.security.length === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), fc.nat())
  return fc
    .record({ path: pathArbitrary(op, hints), query: queryArbitrary(op, hints), body: bodyArbitrary(op, hints), bearer })
    .map(({ path, query, body, bearer }) => {
      const headers: Record<string, string> = {}
      if (body.value !== undefined) headers['content-type'] = body.value.type
      const pool = credentials()
      if (bearer !== undefined) headers.authorization = `Bearer ${pool[bearer % pool.length] ?? 'not-a-token'}`
      return {
        method: op.method,
        path: `${path.value}${query.value}`,
        headers,
        body: body.value?.text,
        schemaValid: path.valid && query.valid && body.valid,
      }
    })
}
