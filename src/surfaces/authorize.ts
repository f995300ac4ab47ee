/**
 * The authorize pages: GET /oauth/authorize (current, PKCE + OpenID), GET /oauth and /oauth/
 * (legacy), and POST /oauth/authorize, the sign-in form's answer. Each job has its own module
 * under authorize/: resolve the client, check the request, decide consent, render the page,
 * approve (issue the code and redirect), and take the form's decision.
 * Until client and redirect_uri are verified, problems are HTML pages and never redirects;
 * after that, they go back to the client as `error` + `error_description` (+ `state`).
 * @see docs/whop-reference.md §2.2 Authorize, §2.3, §6 items 4, 7, 27-29
 */
import type { FastifyReply } from 'fastify'
import type { MockContext } from '../context.js'
import type { Handlers, OperationRequest } from '../handlers.js'
import { given } from '../http/params.js'
import { scopeCatalogFor } from '../oauth/scope-catalog.js'
import { splitScope } from '../oauth/scopes.js'
import { resolveFlow, type Flow } from '../eras.js'
import type { AuthorizeRequest } from '../state/sign-in.js'
import { approve } from './authorize/approve.js'
import { checkRequest, type CheckedRequest } from './authorize/checks.js'
import { verifyClient } from './authorize/client.js'
import { decideConsent } from './authorize/consent.js'
import { sessionIdOf } from './authorize/cookies.js'
import { decideAuthorization } from './authorize/decision.js'
import { showPage } from './authorize/page.js'
import { RedirectableError } from '../errors.js'
import { clientRedirect } from './authorize/redirect.js'
import { resolveUser } from './authorize/user.js'

type AuthorizeOperation = 'authorize' | 'authorizeLegacy'

function authorizeWith(context: MockContext, flow: Flow) {
  return async (request: OperationRequest<AuthorizeOperation>, reply: FastifyReply) => {
    const query = request.query
    const client = verifyClient(context, query, flow)
    const state = given(query.state) ?? null
    let checked: CheckedRequest
    try {
      checked = checkRequest(context, query, flow)
    } catch (error) {
      if (!(error instanceof RedirectableError)) throw error
      return clientRedirect(reply, client.redirectUri, { error: error.error, error_description: error.description, state })
    }
    const notes = grantNotes(context, flow, checked)
    const hinted = resolveUser(context, query.login_hint)
    const sessionId = sessionIdOf(request)
    const auth: AuthorizeRequest = {
      flow,
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      redirectUriGiven: client.explicit,
      scopeGiven: given(query.scope) !== undefined,
      state,
      hintedUserId: hinted?.id ?? null,
      signedInUserId: await context.signIn.signedInUser(sessionId),
      ...checked,
    }
    const decision = await decideConsent(context, auth, query.prompt, sessionId, hinted)
    // Named and loud: auto-approve weakens what Whop does, so each use is marked in the journal.
    const journalNote = [...(decision.kind === 'approve' && decision.autoApproved ? ['auto-approved'] : []), ...notes].join('; ')
    if (journalNote !== '') request.journalNote = journalNote
    if (decision.kind === 'ask') return showPage(context, reply, await context.signIn.begin(auth), 200, null)
    return approve(context, request, reply, auth, decision.user)
  }
}

/** What the journal should say about a granted request: undescribed scopes, openid without a nonce. */
function grantNotes(context: MockContext, flow: Flow, checked: CheckedRequest): string[] {
  if (flow !== 'current') return []
  const scopes = splitScope(checked.scope)
  const undescribed = scopeCatalogFor(context.fixtures.data).judge(scopes, false).undescribed
  return [
    ...(undescribed.length > 0 ? [`undescribed scopes granted: ${undescribed.join(' ')}`] : []),
    ...(checked.nonce === null && scopes.includes('openid') ? ['openid without nonce allowed'] : []),
  ]
}

/** The flow an authorize page serves, as its spec entry names it with `x-authorize-flow`. */
function flowOf(context: MockContext, operationId: AuthorizeOperation): Flow {
  return resolveFlow(context.spec.operations.find((op) => op.operationId === operationId)?.extensions['x-authorize-flow'])
}

export function authorizeHandlers(context: MockContext): Handlers<AuthorizeOperation | 'decideAuthorization'> {
  return {
    authorize: authorizeWith(context, flowOf(context, 'authorize')),
    authorizeLegacy: authorizeWith(context, flowOf(context, 'authorizeLegacy')),
    decideAuthorization: (request, reply) => decideAuthorization(context, request, reply),
  }
}
