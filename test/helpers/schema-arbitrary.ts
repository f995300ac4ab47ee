/**
 * fast-check arbitraries read from a JSON Schema: values the schema accepts (biased towards the
 * known fixture values that fit, so requests reach past "unknown id") and values it may refuse.
 * Neither is trusted to be what it aims at: the property test classifies every request with ajv.
 */
import fc from 'fast-check'
import type { JsonSchema } from '../../src/spec/load-spec.js'

type Schema = Exclude<JsonSchema, boolean>

/** Strings worth trying wherever a string schema admits them (fixture ids, keys, redirect URIs). */
export interface Hints {
  strings: string[]
}

const MAX_STRING = 40
const MAX_ITEMS = 3

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined)
const asSchema = (value: unknown): JsonSchema => (typeof value === 'object' && value !== null ? (value as Schema) : true)
const schemas = (value: unknown): JsonSchema[] => (Array.isArray(value) ? value.map(asSchema) : [])
const propertiesOf = (schema: Schema): [string, JsonSchema][] =>
  typeof schema.properties === 'object' && schema.properties !== null
    ? Object.entries(schema.properties).map(([name, sub]) => [name, asSchema(sub)])
    : []

function fitsString(schema: Schema, value: string): boolean {
  const pattern = str(schema.pattern)
  if (pattern !== undefined && !new RegExp(pattern, 'u').test(value)) return false
  return value.length >= (num(schema.minLength) ?? 0) && value.length <= (num(schema.maxLength) ?? Infinity)
}

function formatString(format: string): fc.Arbitrary<string> | undefined {
  if (format === 'date-time')
    return fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
  if (format === 'uri') return fc.webUrl()
  if (format === 'email') return fc.emailAddress()
  return undefined
}

function validString(schema: Schema, hints: Hints): fc.Arbitrary<string> {
  const pattern = str(schema.pattern)
  const minLength = num(schema.minLength) ?? 0
  const maxLength = Math.min(num(schema.maxLength) ?? MAX_STRING, Math.max(MAX_STRING, minLength))
  const formatted = formatString(str(schema.format) ?? '')
  // A hint is offered only where no format asks for a shape the pattern and lengths do not check.
  if (formatted !== undefined) return formatted
  const generated =
    pattern !== undefined
      ? fc.stringMatching(new RegExp(pattern, 'u')).filter((s) => fitsString(schema, s))
      : fc.string({ minLength, maxLength })
  const known = hints.strings.filter((s) => fitsString(schema, s))
  const example = str(schema.example)
  const examples = example !== undefined && fitsString(schema, example) ? [...known, example] : known
  return examples.length === 0 ? generated : fc.oneof(generated, fc.constantFrom(...examples))
}

function validNumber(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = num(schema.minimum)
  const max = num(schema.maximum)
  if (integer) return fc.integer({ min: min ?? -1e9, max: max ?? 1e9 })
  return fc.double({ min: min ?? -Number.MAX_VALUE, max: max ?? Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true })
}

function validObject(schema: Schema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const required = Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === 'string') : []
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, sub] of propertiesOf(schema)) model[name] = validValue(sub, hints)
  for (const name of required) model[name] ??= fc.jsonValue({ maxDepth: 1 })
  const maxProperties = num(schema.maxProperties) ?? Infinity
  return fc.record(model, { requiredKeys: required }).filter((o) => Object.keys(o).length <= maxProperties)
}

function validOfType(schema: Schema, type: string, hints: Hints): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return validString(schema, hints)
    case 'integer':
    case 'number':
      return validNumber(schema, type === 'integer')
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(validValue(asSchema(schema.items), hints), {
        minLength: num(schema.minItems) ?? 0,
        maxLength: Math.min(num(schema.maxItems) ?? MAX_ITEMS, MAX_ITEMS),
      })
    case 'object':
      return validObject(schema, hints)
    default:
      return fc.jsonValue({ maxDepth: 1 })
  }
}

/** Values the schema should accept. */
export function validValue(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  if (typeof schema === 'boolean') return fc.jsonValue({ maxDepth: 2 })
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  const choices = [...schemas(schema.oneOf), ...schemas(schema.anyOf)]
  if (choices.length > 0) return fc.oneof(...choices.map((choice) => validValue(choice, hints)))
  const types = Array.isArray(schema.type) ? schema.type.map(String) : [str(schema.type) ?? (schema.properties ? 'object' : 'any')]
  return fc.oneof(...types.map((type) => validOfType(schema, type, hints)))
}

const WRONG_TYPES: unknown[] = [0, -1, 1.5, 'x', '', true, null, [], {}, [1, 'a'], { a: 1 }]

/** Values the schema may well refuse: a wrong type, a string ignoring the pattern, a required key dropped, an unknown key added. */
export function invalidValue(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fc.constantFrom(...WRONG_TYPES), fc.string({ maxLength: MAX_STRING }), fc.double())
  if (typeof schema === 'boolean' || schema.properties === undefined) return wrong
  const properties = propertiesOf(schema)
  const base = validObject(schema, hints)
  const mutated = fc.tuple(base, fc.nat(), wrong).map(([value, index, bad]) => {
    const copy: Record<string, unknown> = { ...value }
    const name = properties.at(index % Math.max(1, properties.length))?.[0] ?? 'unknown_field'
    if (name in copy && index % 3 === 0) delete copy[name]
    else if (index % 3 === 1) copy.unknown_field = bad
    else copy[name] = bad
    return copy
  })
  return fc.oneof(wrong, mutated)
}
