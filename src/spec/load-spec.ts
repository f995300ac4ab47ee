/**
 * Loading the OpenAPI document that drives the server: validate it with swagger-parser,
 * then read out the operation table (one entry per operationId) with its error family,
 * path aliases, request schemas and documented responses.
 */
import { readFileSync } from 'node:fs'
import { buildRecordPath, readBuildRecord, sha256Of } from '../build-record.js'
import { SpecError } from '../errors/startup.js'
import type { OpenAPIV3_1 } from 'openapi-types'
import { CONTROL_FAMILY, CONTROL_TAG, isErrorFamily, type ErrorFamily } from './families.js'
import { specPath } from '../paths.js'

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
type LowerMethod = (typeof HTTP_METHODS)[number]

export type JsonSchema = Record<string, unknown> | boolean

export interface Parameter {
  name: string
  in: 'query' | 'header' | 'path' | 'cookie'
  required: boolean
  schema: JsonSchema
}

export interface DocumentedResponse {
  /** media type → schema; empty when the response has no body. */
  content: Record<string, JsonSchema>
  headers: string[]
}

export interface Operation {
  operationId: string
  method: Uppercase<LowerMethod>
  /** The path as written in the spec. */
  path: string
  /** The spec path and its `x-path-aliases`, in Fastify's `:param` syntax. */
  routePaths: string[]
  family: ErrorFamily
  tags: string[]
  /** Names of the security schemes that may authenticate a call; empty when none is needed. */
  security: string[]
  requestBody: { required: boolean; content: Record<string, JsonSchema> } | null
  parameters: Parameter[]
  responses: Record<string, DocumentedResponse>
  /** Headers some response declares with a `const` schema (lower-cased name → value): sent on every answer. */
  constantHeaders: Record<string, string>
  /** The operation's `x-…` extensions, e.g. `x-token-era`. */
  extensions: Record<string, unknown>
}

export interface UnmatchedRoute {
  prefix: string
  family: ErrorFamily
}

export interface Spec {
  document: OpenAPIV3_1.Document
  operations: Operation[]
  unmatchedRoutes: UnmatchedRoute[]
  errorSchemas: Record<ErrorFamily, JsonSchema>
}

const toRoutePath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1')

function schemaOf(media: unknown): JsonSchema {
  const schema = (media as { schema?: JsonSchema } | undefined)?.schema
  return schema ?? true
}

function mapContent(content: Record<string, unknown> | undefined): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {}
  for (const [type, media] of Object.entries(content ?? {})) out[type] = schemaOf(media)
  return out
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new SpecError(`only local references are supported: ${ref}`)
  let node: unknown = document
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    node = (node as Record<string, unknown> | undefined)?.[key]
  }
  if (node === undefined) throw new SpecError(`reference ${ref} does not resolve`)
  return node
}

/** Response headers declared with a `const` string schema, by lower-cased name; two values for one name is a SpecError. */
function constantHeadersOf(responses: OpenAPIV3_1.ResponsesObject | undefined, where: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const response of Object.values(responses ?? {})) {
    for (const [name, header] of Object.entries((response as OpenAPIV3_1.ResponseObject).headers ?? {})) {
      const value = (header as OpenAPIV3_1.HeaderObject).schema
      const constant = value !== undefined && 'const' in value ? value.const : undefined
      if (typeof constant !== 'string') continue
      const key = name.toLowerCase()
      if (out[key] !== undefined && out[key] !== constant)
        throw new SpecError(`${where} declares ${name} as both ${out[key]} and ${constant}`)
      out[key] = constant
    }
  }
  return out
}

function readOperation(path: string, method: LowerMethod, raw: OpenAPIV3_1.OperationObject): Operation {
  const ext = raw as Record<string, unknown>
  const where = `${method.toUpperCase()} ${path}`
  if (typeof raw.operationId !== 'string') throw new SpecError(`${where} has no operationId`)
  const family = ext['x-error-family']
  if (!isErrorFamily(family)) throw new SpecError(`${where} (${raw.operationId}) has no valid x-error-family`)
  if ((raw.tags ?? []).includes(CONTROL_TAG) !== (family === CONTROL_FAMILY))
    throw new SpecError(`${where} (${raw.operationId}): the ${CONTROL_TAG} tag and the ${CONTROL_FAMILY} family go together`)
  const aliases = (ext['x-path-aliases'] as string[] | undefined) ?? []
  const body = raw.requestBody as OpenAPIV3_1.RequestBodyObject | undefined
  const responses: Record<string, DocumentedResponse> = {}
  for (const [status, response] of Object.entries(raw.responses ?? {})) {
    const r = response as OpenAPIV3_1.ResponseObject
    responses[status] = { content: mapContent(r.content), headers: Object.keys(r.headers ?? {}).map((h) => h.toLowerCase()) }
  }
  return {
    operationId: raw.operationId,
    method: method.toUpperCase() as Uppercase<LowerMethod>,
    path,
    routePaths: [path, ...aliases].map(toRoutePath),
    family,
    tags: raw.tags ?? [],
    security: (raw.security ?? []).flatMap((requirement) => Object.keys(requirement)),
    requestBody: body ? { required: body.required ?? false, content: mapContent(body.content) } : null,
    parameters: ((raw.parameters ?? []) as OpenAPIV3_1.ParameterObject[]).map((p) => ({
      name: p.name,
      in: p.in as Parameter['in'],
      required: p.required ?? false,
      schema: (p.schema as JsonSchema | undefined) ?? true,
    })),
    responses,
    constantHeaders: constantHeadersOf(raw.responses, where),
    extensions: Object.fromEntries(Object.entries(ext).filter(([key]) => key.startsWith('x-'))),
  }
}

/** Validate with swagger-parser and dereference. Loaded on use: it is the slowest part of a start. */
export async function validateWithSwaggerParser(file: string): Promise<OpenAPIV3_1.Document> {
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser')
  try {
    return (await SwaggerParser.validate(file)) as OpenAPIV3_1.Document
  } catch (error) {
    throw new SpecError(`${file} is not a valid OpenAPI document: ${(error as Error).message}`)
  }
}

/** Validate and read a spec file. Throws SpecError with a message fit for a terminal. */
export async function loadSpec(file: string = specPath): Promise<Spec> {
  return readSpec(await validateWithSwaggerParser(file), file)
}

/** Build the operation table from a validated, dereferenced document. */
export function readSpec(document: OpenAPIV3_1.Document, file: string): Spec {
  if (!String(document.openapi).startsWith('3.1')) throw new SpecError(`${file} must be OpenAPI 3.1, found ${document.openapi}`)
  const operations: Operation[] = []
  const seen = new Set<string>()
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const raw = item?.[method]
      if (raw === undefined) continue
      const op = readOperation(path, method, raw)
      if (seen.has(op.operationId)) throw new SpecError(`operationId ${op.operationId} is used twice`)
      seen.add(op.operationId)
      operations.push(op)
    }
  }
  const ext = document as unknown as Record<string, unknown>
  const unmatchedRoutes = (ext['x-unmatched-routes'] as UnmatchedRoute[] | undefined) ?? []
  for (const r of unmatchedRoutes)
    if (!isErrorFamily(r.family)) throw new SpecError(`x-unmatched-routes: unknown family ${String(r.family)}`)
  const families = (ext['x-error-families'] ?? {}) as Record<string, string>
  const errorSchemas = {} as Record<ErrorFamily, JsonSchema>
  for (const [family, ref] of Object.entries(families)) {
    if (!isErrorFamily(family)) throw new SpecError(`x-error-families: unknown family ${family}`)
    errorSchemas[family] = resolvePointer(document, ref) as JsonSchema
  }
  return { document, operations, unmatchedRoutes, errorSchemas }
}

/**
 * The bundled spec, validated by swagger-parser: at build time for the bytes the package ships
 * (start-up then only re-hashes the file, which keeps a start near bare Fastify's), and again
 * at start whenever the file differs from what the build validated.
 */
export async function loadValidatedSpec(
  file: string = specPath,
  recordFile: string = buildRecordPath,
): Promise<Spec & { validatedAt: 'build' | 'start' }> {
  const record = readBuildRecord(recordFile)?.spec
  if (record !== undefined && record.sha256 === sha256Of(readFileSync(file)))
    return { ...readSpec(record.document, file), validatedAt: 'build' }
  return { ...(await loadSpec(file)), validatedAt: 'start' }
}

let cached: Promise<Spec> | undefined

/** The package's own spec, loaded and validated once per process. */
export function loadBundledSpec(): Promise<Spec> {
  cached ??= loadValidatedSpec()
  return cached
}

/** The error family that answers a path no operation serves. */
export function familyForPath(spec: Spec, path: string): ErrorFamily {
  return spec.unmatchedRoutes.find((r) => path.startsWith(r.prefix))?.family ?? 'v1'
}
