/**
 * Handlers typed by the spec: one per operationId, each receiving the body and query types
 * generated from that operation's schemas (src/generated/openapi.ts, see scripts/generate-types.mjs).
 * A missing or extra handler is a compile error here and a RouteTableError at build (server.ts).
 */
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import type { components, operations } from './generated/openapi.js'

export type OperationId = keyof operations
export type Schemas = components['schemas']

type ContentOf<Body> = Body extends { content: infer Content } ? Content[keyof Content] : never

/** The body as validated: any of the operation's media types; undefined when the body is optional. */
export type BodyOf<Id extends OperationId> = operations[Id] extends { requestBody: infer Body }
  ? ContentOf<Body>
  : operations[Id] extends { requestBody?: infer Body }
    ? ContentOf<Body> | undefined
    : undefined

type QueryParameters<Id extends OperationId> = NonNullable<operations[Id]['parameters']['query']>

/** The query as validated (and coerced) against the operation's parameters; unknown for an operation without any. */
export type QueryOf<Id extends OperationId> = [QueryParameters<Id>] extends [never] ? unknown : QueryParameters<Id>

type PathParameters<Id extends OperationId> = NonNullable<operations[Id]['parameters']['path']>

/** The path parameters as validated; unknown for an operation without any. */
export type ParamsOf<Id extends OperationId> = [PathParameters<Id>] extends [never] ? unknown : PathParameters<Id>

export type OperationRequest<Id extends OperationId> = FastifyRequest<{ Body: BodyOf<Id>; Querystring: QueryOf<Id>; Params: ParamsOf<Id> }>

export type OperationHandler<Id extends OperationId> = (request: OperationRequest<Id>, reply: FastifyReply) => unknown

/** operationId → handler, for every operation of the spec. */
export type HandlerTable = { [Id in OperationId]: OperationHandler<Id> }

/** The part of the table one surface module serves. */
export type Handlers<Id extends OperationId> = Pick<HandlerTable, Id>

export function isOperationId(table: HandlerTable, id: string): id is OperationId {
  return Object.hasOwn(table, id)
}

/**
 * Where typed handlers meet Fastify's untyped routes. Sound because the route's preValidation
 * (http/validation.ts) checks the body and query against the same schemas the types came from,
 * before any handler runs.
 */
export function routeHandler(table: HandlerTable, id: OperationId): RouteHandlerMethod {
  return table[id] as RouteHandlerMethod
}
