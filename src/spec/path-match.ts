/**
 * Which operations serve a concrete request path, whatever the method: what a 405 needs (the
 * methods to list in `Allow`, and the family whose envelope answers).
 */
import type { Operation, Spec } from './load-spec.js'

const matchers = new WeakMap<Spec, { pattern: RegExp; operation: Operation }[]>()

/** A route path (`/api/v1/apps/:id`) as a pattern for concrete paths: a parameter is one non-empty segment. */
function patternOf(routePath: string): RegExp {
  const source = routePath
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}$`)
}

function matchersOf(spec: Spec): { pattern: RegExp; operation: Operation }[] {
  let table = matchers.get(spec)
  if (table === undefined) {
    table = spec.operations.flatMap((operation) => operation.routePaths.map((path) => ({ pattern: patternOf(path), operation })))
    matchers.set(spec, table)
  }
  return table
}

/** The operations whose path (or alias) matches `path`, in spec order. */
export function operationsAtPath(spec: Spec, path: string): Operation[] {
  return [
    ...new Set(
      matchersOf(spec)
        .filter((m) => m.pattern.test(path))
        .map((m) => m.operation),
    ),
  ]
}

/** The `Allow` header for a path: its operations' methods, HEAD wherever GET is (Fastify serves it), sorted. */
export function allowedMethods(operations: readonly Operation[]): string {
  const methods = new Set<string>(operations.map((op) => op.method))
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods].sort().join(', ')
}
