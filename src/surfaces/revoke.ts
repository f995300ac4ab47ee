/**
 * POST /oauth/revoke: the refresh token dies at once; access tokens cannot be revoked and live
 * until they expire [D D-OAUTH]. 200 `{}` even for unknown tokens (RFC 7009 §2.2).
 * @see whop-auth-reference §2.2 Revoke, §6 item 12
 */
import type { HandlerTable, MockContext } from '../context.js'
import { authenticateClient } from '../auth/client-auth.js'

export function revokeHandlers(context: MockContext): HandlerTable {
  return {
    revokeToken(request) {
      const body = request.body as { token: string; client_id?: string; client_secret?: string }
      const sentCredentials = body.client_id !== undefined || body.client_secret !== undefined || request.headers.authorization !== undefined
      // The docs' browser sample sends only {token, client_id}; credentials, when sent, must be right.
      const client = sentCredentials
        ? authenticateClient(context.fixtures, body, request.headers.authorization, { acceptAppApiKey: false, fixedMessage: null })
        : null
      const owner = context.grants.refreshTokenClient(body.token)
      if (owner !== null && (client === null || client.app.id === owner)) context.grants.deleteRefreshToken(body.token)
      return {}
    },
  }
}
