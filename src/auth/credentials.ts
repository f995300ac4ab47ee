/**
 * Who is calling: the Bearer credential of a request, resolved against the fixtures.
 * Which kinds of credential an operation accepts comes from its `security` in the spec.
 */
import type { FastifyRequest } from 'fastify'
import type { MockContext } from '../context.js'
import { unauthorized } from '../errors.js'
import type { ApiKey } from '../state/fixtures.js'

/** An API key from the fixtures (company or app key). */
export interface ApiKeyCredential {
  kind: 'api_key'
  apiKey: ApiKey
  permissions: string[]
}

export type Credential = ApiKeyCredential

declare module 'fastify' {
  interface FastifyRequest {
    credential?: Credential
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. The scheme is case-insensitive (RFC 6750). */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (header === undefined) return null
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? null
}

/**
 * Resolve the caller for an operation secured by `bearerAuth`: a fixture API key.
 * @see whop-auth-reference §6 item 14: missing or unknown → 401 "Invalid or missing API key" [D S3]
 */
export function authenticateBearer(context: MockContext, request: FastifyRequest): Credential {
  const token = bearerToken(request)
  if (token === null) throw unauthorized()
  const apiKey = context.fixtures.apiKey(token)
  if (apiKey === undefined) throw unauthorized()
  return { kind: 'api_key', apiKey, permissions: apiKey.permissions }
}

type Authenticator = (context: MockContext, request: FastifyRequest) => Credential | Promise<Credential>

/** Security scheme name in the spec → how a request proves it. */
const AUTHENTICATORS: Record<string, Authenticator> = {
  bearerAuth: authenticateBearer,
}

/** The authenticator for an operation's security schemes; null when the operation is open. */
export function authenticatorFor(schemes: string[]): Authenticator | null {
  if (schemes.length === 0) return null
  const known = schemes.map((name) => {
    const authenticator = AUTHENTICATORS[name]
    if (authenticator === undefined) throw new Error(`security scheme ${name} has no authenticator`)
    return authenticator
  })
  if (known.length === 1) return known[0]!
  // Several schemes: the first that accepts the request wins; the last one's error stands.
  return async (context, request) => {
    let lastError: unknown
    for (const authenticate of known) {
      try {
        return await authenticate(context, request)
      } catch (error) {
        lastError = error
      }
    }
    throw lastError
  }
}
