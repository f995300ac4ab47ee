/**
 * Where each flow and era is served, read from the loaded spec: the operations that name a flow
 * with `x-authorize-flow` or an era with `x-token-era`, each with its `x-path-aliases`, in the
 * spec's order (the spec path first). The tables in `./eras.ts` never write a path.
 */
import { resolveEra, resolveFlow, variantEra, type Flow, type SignInVariant, type TokenEra } from './eras.js'

/** The part of a loaded spec operation read here (see `src/spec/load-spec.ts`). */
export interface RoutedOperation {
  routePaths: readonly string[]
  extensions: Readonly<Record<string, unknown>>
}

const pathsWhere = (operations: readonly RoutedOperation[], test: (op: RoutedOperation) => boolean): string[] =>
  operations.filter(test).flatMap((op) => op.routePaths)

/** The token paths of every era that satisfies `test`. */
export function tokenPaths(operations: readonly RoutedOperation[], test: (era: TokenEra) => boolean): string[] {
  return pathsWhere(operations, (op) => op.extensions['x-token-era'] !== undefined && test(resolveEra(op.extensions['x-token-era'])))
}

/** The authorize page(s) of a flow. */
export function authorizePaths(operations: readonly RoutedOperation[], flow: Flow): string[] {
  return pathsWhere(
    operations,
    (op) => op.extensions['x-authorize-flow'] !== undefined && resolveFlow(op.extensions['x-authorize-flow']) === flow,
  )
}

/** Where a sign-in variant sends the browser, and where its codes are redeemed. */
export interface SignInPaths {
  authorize: string[]
  token: string[]
}

export function signInPaths(operations: readonly RoutedOperation[], variant: SignInVariant): SignInPaths {
  const era = variantEra(variant)
  return { authorize: authorizePaths(operations, era.flow), token: tokenPaths(operations, (e) => e.name === era.name) }
}
