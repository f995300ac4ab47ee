/**
 * Approval: issue the code and send the person back to the client, remembering the consent in
 * the browser session [D D-OAUTH, S2].
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { MockContext } from '../../context.js'
import { splitScope } from '../../oauth/scopes.js'
import type { User } from '../../state/fixtures.js'
import type { AuthorizeRequest } from '../../state/sign-in.js'
import { sessionCookie, sessionIdOf } from './cookies.js'
import { clientRedirect } from './redirect.js'

export async function approve(
  context: MockContext,
  request: FastifyRequest,
  reply: FastifyReply,
  auth: AuthorizeRequest,
  user: User,
): Promise<FastifyReply> {
  if (auth.companyId !== null && !context.fixtures.isMember(user.id, auth.companyId)) {
    return clientRedirect(reply, auth.redirectUri, {
      error: 'access_denied',
      error_description: `${user.username} is not a member of company ${auth.companyId}.`,
      state: auth.state,
    })
  }
  const scopes = splitScope(auth.scope)
  const issued = context.grants.issueCode({
    flow: auth.flow,
    clientId: auth.clientId,
    redirectUri: auth.redirectUri,
    redirectUriGiven: auth.redirectUriGiven,
    userId: user.id,
    scope: auth.scope,
    scopes,
    companyId: auth.companyId,
    codeChallenge: auth.codeChallenge,
    nonce: auth.nonce,
  })
  const approved = context.signIn.approve(sessionIdOf(request), user.id, auth.clientId, scopes)
  // The two are independent: with shared state, both go to Redis before either answer is awaited.
  const [code, session] = await Promise.all([issued, approved])
  reply.header('set-cookie', sessionCookie(context, session))
  const echoedScope = auth.flow === 'legacy' && auth.scopeGiven ? auth.scope : null
  return clientRedirect(reply, auth.redirectUri, {
    code,
    ...(echoedScope === null ? {} : { scope: echoedScope }),
    state: auth.state,
  })
}
