/**
 * POST /oauth/revoke: the refresh token dies at once; access tokens cannot be revoked and live
 * until they expire [D D-OAUTH]. 200 `{}` even for unknown tokens (RFC 7009 §2.2).
 * @see docs/whop-reference.md §2.2 Revoke, §6 item 12
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { authenticateClient } from '../auth/client-auth.js'
import { RAW_BASIC_NOTE } from '../auth/basic-credentials.js'

export function revokeHandlers(context: MockContext): Handlers<'revokeToken'> {
  return {
    async revokeToken(request) {
      const body = request.body
      // The caller must say which client it is (the docs' sample sends client_id; RFC 7009 §2.1),
      // or anyone holding a token could revoke it; a confidential app also proves its secret.
      const client = authenticateClient(context.fixtures, body, request.headers.authorization, {
        acceptAppApiKey: false,
        fixedMessage: null,
      })
      if (client.rawBasic) request.journalNote = RAW_BASIC_NOTE
      await context.grants.revokeRefreshToken({ token: body.token, clientId: client.app.id, nowMs: context.clock.nowMs() })
      return {}
    },
  }
}
