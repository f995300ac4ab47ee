/**
 * POST /_mock/user_tokens: mint what Whop's iframe proxy sends as `x-whop-user-token`, so apps
 * can test `verifyUserToken` offline.
 * @see docs/whop-reference.md §3 (x-whop-user-token), §6 item 22
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { APP_USER_TOKEN_ISSUER, TENANT_CLAIM, signJwt } from '../crypto/jwt.js'
import { notFound } from '../errors.js'

/** Mock choice: Whop calls these "short-lived" [D D-SCOPE]; five minutes unless asked otherwise. */
const DEFAULT_TTL_SECONDS = 300

export function userTokenHandlers(context: MockContext): Handlers<'createUserToken'> {
  return {
    async createUserToken(request, reply) {
      const body = request.body
      if (context.fixtures.user(body.user_id) === undefined) throw notFound('user_id', `No fixture user ${body.user_id}.`)
      if (context.fixtures.app(body.app_id) === undefined) throw notFound('app_id', `No fixture app ${body.app_id}.`)
      const issuedAt = context.clock.nowSeconds()
      const expiresAt = issuedAt + (body.ttl_seconds ?? DEFAULT_TTL_SECONDS)
      // aud is a single string: verifyUserToken rejects an array [D NEW verify-user-token.ts].
      // Their issuer is Whop's fixed one, so a tenant marks its own with a private claim.
      const tenant = context.tenantName
      const token = await signJwt(
        context.key,
        { iss: APP_USER_TOKEN_ISSUER, sub: body.user_id, ...(tenant !== null && { [TENANT_CLAIM]: tenant }) },
        { issuedAt, expiresAt, audience: body.app_id },
      )
      return reply.code(201).send({ token, expires_at: new Date(expiresAt * 1000).toISOString() })
    },
  }
}
