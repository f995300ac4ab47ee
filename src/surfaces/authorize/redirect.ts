/** Answers that go back to the client's redirect_uri (RFC 6749 §4.1.2 and §4.1.2.1). */
import type { FastifyReply } from 'fastify'
import { redirectWithParams } from '../../oauth/redirect-uri.js'

/** A redirect back to the client, keeping any query its registered URI already has. */
export function clientRedirect(reply: FastifyReply, redirectUri: string, params: Record<string, string | null>): FastifyReply {
  return reply.header('cache-control', 'no-store').redirect(redirectWithParams(redirectUri, params), 302)
}
