/**
 * The response contract: does an answer match what the spec documents for its operation
 * and status? Tests run every response through this; the conformance suite's server mode
 * uses it against any Whop-compatible server.
 */
import { createAjv, type ValidateFunction } from './ajv.js'
import { mediaTypeOf } from './media-type.js'
import { isTenantName, splitTenantPath } from '../tenant-path.js'
import { familyForPath, type JsonSchema, type Operation, type Spec } from './load-spec.js'
import { operationsAtPath } from './path-match.js'
import type { ErrorFamily } from './families.js'

export interface ObservedResponse {
  /** The operation that answered, or null when no operation matched the route. */
  operationId: string | null
  path: string
  status: number
  contentType: string | undefined
  /** The body as text (empty string when none). */
  body: string
  /** True when the server keeps its state in Redis: only then may any operation answer 503 (state unavailable). */
  sharedState?: boolean
}

export class ResponseContract {
  readonly #ajv = createAjv()
  readonly #compiled = new WeakMap<object, ValidateFunction>()
  readonly #operations: Map<string, Operation>

  constructor(readonly spec: Spec) {
    this.#operations = new Map(spec.operations.map((op) => [op.operationId, op]))
  }

  /** Compile every documented response schema now, so a schema ajv refuses fails at once, not mid-test. */
  compileAll(): number {
    let count = 0
    for (const op of this.spec.operations) {
      for (const response of Object.values(op.responses)) {
        for (const schema of Object.values(response.content)) {
          if (typeof schema === 'object') {
            this.#compile(schema)
            count++
          }
        }
      }
    }
    for (const schema of Object.values(this.spec.errorSchemas)) if (typeof schema === 'object') this.#compile(schema)
    return count
  }

  #compile(schema: Exclude<JsonSchema, boolean>): ValidateFunction {
    let validate = this.#compiled.get(schema)
    if (validate === undefined) {
      validate = this.#ajv.compile(schema)
      this.#compiled.set(schema, validate)
    }
    return validate
  }

  operation(operationId: string): Operation | undefined {
    return this.#operations.get(operationId)
  }

  #validate(schema: JsonSchema, value: unknown): string | null {
    if (typeof schema === 'boolean') return schema ? null : 'schema is false'
    const validate = this.#compile(schema)
    if (validate(value)) return null
    return this.#ajv.errorsText(validate.errors, { dataVar: 'body' })
  }

  /** Problems with one response; an empty list means it matches the spec. */
  check(response: ObservedResponse): string[] {
    const mediaType = mediaTypeOf(response.contentType)
    const tenant = splitTenantPath(response.path)
    // A bad tenant name is refused before any operation runs (see the spec's description of tenants).
    if (tenant !== null && !isTenantName(tenant.name)) {
      if (response.status !== 400) return [`bad tenant name answered ${response.status}, expected 400`]
      return this.#checkBody(this.spec.errorSchemas.control, 'application/json', mediaType, response.body)
    }
    if (response.operationId === null) {
      const [served] = operationsAtPath(this.spec, tenant?.rest ?? response.path)
      // A known path with another method: its operations' family answers (x-unmatched-routes says so).
      if (served !== undefined && response.status === 405) return this.#familyBody(served.family, mediaType, response.body)
      const family = familyForPath(this.spec, tenant?.rest ?? response.path)
      if (response.status === 421) return this.#familyBody(family, mediaType, response.body)
      if (response.status !== 404) return [`unmatched route answered ${response.status}, expected ${served ? 405 : 404}`]
      return this.#checkBody(this.spec.errorSchemas[family], 'application/json', mediaType, response.body)
    }
    const op = this.#operations.get(response.operationId)
    if (op === undefined) return [`operation ${response.operationId} is not in the spec`]
    // Any operation may refuse a Host it does not serve, in its family's envelope (the spec's info says so).
    if (response.status === 421) return this.#familyBody(op.family, mediaType, response.body)
    // With shared state, any operation but the health check may answer 503 while Redis is away (the spec's info says so).
    if (response.status === 503 && response.sharedState === true && op.operationId !== 'getHealth')
      return this.#familyBody(op.family, mediaType, response.body)
    const documented = op.responses[String(response.status)] ?? op.responses[`${String(response.status)[0]}XX`] ?? op.responses.default
    if (documented === undefined) return [`${op.operationId} does not document status ${response.status}`]
    const types = Object.keys(documented.content)
    if (types.length === 0)
      return response.body.length === 0 ? [] : [`${op.operationId} ${response.status} documents no body, got ${response.body.length} bytes`]
    const match = types.find((t) => t === mediaType)
    if (match === undefined)
      return [`${op.operationId} ${response.status} answered ${mediaType || 'no content type'}, documented ${types.join(', ')}`]
    return this.#checkBody(documented.content[match]!, match, mediaType, response.body)
  }

  /** An error body in a family's envelope: HTML for the pages, JSON elsewhere. */
  #familyBody(family: ErrorFamily, mediaType: string, text: string): string[] {
    return this.#checkBody(this.spec.errorSchemas[family], family === 'html' ? 'text/html' : 'application/json', mediaType, text)
  }

  #checkBody(schema: JsonSchema, expected: string, mediaType: string, text: string): string[] {
    if (mediaType !== expected) return [`answered ${mediaType || 'no content type'}, expected ${expected}`]
    let value: unknown = text
    if (expected.endsWith('json')) {
      try {
        value = JSON.parse(text)
      } catch {
        return [`body is not JSON: ${text.slice(0, 80)}`]
      }
    }
    const problem = this.#validate(schema, value)
    return problem === null ? [] : [problem]
  }
}
