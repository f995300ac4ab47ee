/**
 * The paths of one sign-in variant, read from the loaded spec: its authorize page(s) and token
 * endpoint(s) (by `x-authorize-flow` and `x-token-era`), Whop's user reads (the spec's
 * Identity operations), its discovery document and JWKS, each with its `x-path-aliases`.
 */
import { signInPaths } from '../era-paths.js'
import type { SignInVariant } from '../eras.js'
import type { Operation } from '../spec/load-spec.js'
import type { OAuthPaths } from './known.js'

export function oauthPaths(operations: readonly Operation[], variant: SignInVariant): OAuthPaths {
  const userReads = operations.filter((op) => op.method === 'GET' && op.tags.includes('Identity')).flatMap((op) => op.routePaths)
  const pathsOf = (operationId: string) => operations.filter((op) => op.operationId === operationId).flatMap((op) => op.routePaths)
  return { ...signInPaths(operations, variant), userReads, discovery: pathsOf('getOpenIdConfiguration'), jwks: pathsOf('getJwks') }
}
