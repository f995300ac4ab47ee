/**
 * The authorize pages: GET /oauth/authorize (current, PKCE + OpenID), GET /oauth and /oauth/
 * (legacy), and POST /oauth/authorize, the sign-in form's answer.
 * Until client and redirect_uri are verified, problems are HTML pages and never redirects;
 * after that, they go back to the client as `error` + `error_description` (+ `state`).
 * @see whop-auth-reference §2.2 Authorize, §2.3, §6 items 4, 7, 27-29
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { HandlerTable, MockContext } from '../context.js'
import { forbidden, parameterInvalid, parameterMissing } from '../errors.js'
import { parseCookies, serializeCookie } from '../http/cookies.js'
import { given } from '../http/params.js'
import { isS256Challenge } from '../oauth/pkce.js'
import { redirectWithParams } from '../oauth/redirect-uri.js'
import { scopeCatalogFor } from '../oauth/scope-catalog.js'
import { splitScope } from '../oauth/scopes.js'
import type { User } from '../state/fixtures.js'
import type { Flow } from '../state/grants.js'
import { SIGN_IN_TTL_MS, SESSION_TTL_MS, type AuthorizeRequest, type PendingSignIn } from '../state/sign-in.js'
import { renderSignInPage } from './sign-in-page.js'

type Query = Partial<Record<string, string>>

const SESSION_COOKIE = 'whop_mock_session'
const csrfCookie = (transaction: string) => `whop_mock_csrf_${transaction.slice(0, 12)}`

/** A redirect back to the client, keeping any query its registered URI already has. */
function clientRedirect(reply: FastifyReply, redirectUri: string, params: Record<string, string | null>): FastifyReply {
  return reply.header('cache-control', 'no-store').redirect(redirectWithParams(redirectUri, params), 302)
}

/** An authorize-time problem that goes back to the client (RFC 6749 §4.1.2.1). */
class RedirectableError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description)
  }
}

/** The host of an Origin header; an opaque or malformed origin ("null") matches no host. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}

function resolveUser(context: MockContext, loginHint: string | undefined): User | undefined {
  const hint = given(loginHint)
  if (hint === undefined) return undefined
  return context.fixtures.user(hint) ?? context.fixtures.userByUsername(hint)
}

/** Client and redirect_uri: the checks whose failure must never redirect. */
function verifyClient(context: MockContext, query: Query, flow: Flow): { clientId: string; redirectUri: string; explicit: boolean } {
  const clientId = given(query.client_id)
  if (clientId === undefined) throw parameterMissing('client_id', 'This sign-in link has no client_id, so there is no app to sign in to.')
  const app = context.fixtures.app(clientId)
  if (app === undefined) throw parameterInvalid('client_id', `No app is registered with client_id ${clientId}.`)
  const redirectUri = given(query.redirect_uri)
  if (redirectUri === undefined) {
    // The legacy page defaults to the registered URI [D S2]; the current flow requires one [D D-OAUTH].
    if (flow === 'legacy') return { clientId, redirectUri: app.redirect_uris[0]!, explicit: false }
    throw parameterMissing('redirect_uri', 'This sign-in link has no redirect_uri.')
  }
  if (!app.redirect_uris.includes(redirectUri)) {
    throw parameterInvalid('redirect_uri', `The redirect_uri ${redirectUri} is not registered for ${app.name}; it must match one exactly.`)
  }
  return { clientId, redirectUri, explicit: true }
}

/** The current flow's protocol checks [D D-OAUTH; T4, T6 for nonce]. */
function checkCurrentRequest(
  context: MockContext,
  query: Query,
): Pick<AuthorizeRequest, 'scope' | 'nonce' | 'codeChallenge' | 'companyId'> {
  if (query.response_type !== 'code') throw new RedirectableError('unsupported_response_type', 'response_type must be code.')
  const scope = query.scope ?? ''
  const scopes = splitScope(scope)
  if (scopes.length === 0) throw new RedirectableError('invalid_request', 'scope is required.')
  const verdict = scopeCatalogFor(context.fixtures.data).judge(scopes, context.settings.strictScopes)
  if (verdict.invalid.length > 0) throw new RedirectableError('invalid_scope', `Unknown scope: ${verdict.invalid.join(' ')}.`)
  const challenge = given(query.code_challenge)
  if (challenge === undefined) throw new RedirectableError('invalid_request', 'code_challenge is required (PKCE with S256).')
  if ((query.code_challenge_method ?? '') !== 'S256') throw new RedirectableError('invalid_request', 'code_challenge_method must be S256.')
  if (!isS256Challenge(challenge))
    throw new RedirectableError('invalid_request', 'code_challenge must be 43 base64url characters (SHA-256 of the verifier).')
  const nonce = given(query.nonce)
  if (scopes.includes('openid') && nonce === undefined && !context.settings.allowOpenidWithoutNonce)
    throw new RedirectableError('invalid_request', 'nonce is required when scope includes openid.')
  const companyId = given(query.company_id)
  if (companyId !== undefined && context.fixtures.company(companyId) === undefined) {
    throw new RedirectableError('invalid_request', `company_id ${companyId} is not a known company.`)
  }
  return { scope: scopes.join(' '), nonce: nonce ?? null, codeChallenge: challenge, companyId: companyId ?? null }
}

export function authorizeHandlers(context: MockContext): HandlerTable {
  const secureCookies = () => context.publicUrl.startsWith('https:')

  /** Issue the code and send the person back to the client [D D-OAUTH, S2]. */
  function approve(request: FastifyRequest, reply: FastifyReply, auth: AuthorizeRequest, user: User): FastifyReply {
    if (auth.companyId !== null && !context.fixtures.isMember(user.id, auth.companyId)) {
      return clientRedirect(reply, auth.redirectUri, {
        error: 'access_denied',
        error_description: `${user.username} is not a member of company ${auth.companyId}.`,
        state: auth.state,
      })
    }
    const code = context.grants.issueCode({
      flow: auth.flow,
      clientId: auth.clientId,
      redirectUri: auth.redirectUri,
      redirectUriGiven: auth.redirectUriGiven,
      userId: user.id,
      scope: auth.scope,
      companyId: auth.companyId,
      codeChallenge: auth.codeChallenge,
      nonce: auth.nonce,
    })
    const session = context.signIn.approve(parseCookies(request.headers.cookie)[SESSION_COOKIE], user.id, auth.clientId, auth.scope)
    reply.header(
      'set-cookie',
      serializeCookie(SESSION_COOKIE, session, {
        path: '/',
        sameSite: 'Lax',
        maxAgeSeconds: SESSION_TTL_MS / 1000,
        secure: secureCookies(),
      }),
    )
    const echoedScope = auth.flow === 'legacy' && auth.scopeGiven ? auth.scope : null
    return clientRedirect(reply, auth.redirectUri, {
      code: code.code,
      ...(echoedScope === null ? {} : { scope: echoedScope }),
      state: auth.state,
    })
  }

  function showPage(reply: FastifyReply, pending: PendingSignIn, status: number, error: string | null): FastifyReply {
    const auth = pending.request
    const app = context.fixtures.app(auth.clientId)!
    const html = renderSignInPage({
      appName: app.name,
      clientId: app.id,
      scopes: splitScope(auth.scope),
      describeScope: (scope) => scopeCatalogFor(context.fixtures.data).describe(scope),
      companyTitle: auth.companyId === null ? null : (context.fixtures.company(auth.companyId)?.title ?? auth.companyId),
      users: context.fixtures.data.users,
      selectedUserId: auth.hintedUserId ?? auth.signedInUserId,
      transaction: pending.id,
      csrf: pending.csrf,
      error,
    })
    return reply
      .code(status)
      .headers({
        'cache-control': 'no-store',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:",
        'set-cookie': serializeCookie(csrfCookie(pending.id), pending.csrf, {
          path: '/oauth',
          sameSite: 'Strict',
          maxAgeSeconds: SIGN_IN_TTL_MS / 1000,
          secure: secureCookies(),
        }),
      })
      .type('text/html; charset=utf-8')
      .send(html)
  }

  function authorizeWith(flow: Flow) {
    return (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Query
      const client = verifyClient(context, query, flow)
      const state = given(query.state) ?? null
      let checked: Pick<AuthorizeRequest, 'scope' | 'nonce' | 'codeChallenge' | 'companyId'>
      try {
        checked =
          flow === 'current'
            ? checkCurrentRequest(context, query)
            : { scope: query.scope ?? '', nonce: null, codeChallenge: null, companyId: null }
      } catch (error) {
        if (!(error instanceof RedirectableError)) throw error
        return clientRedirect(reply, client.redirectUri, { error: error.error, error_description: error.description, state })
      }
      const undescribed =
        flow === 'current' ? scopeCatalogFor(context.fixtures.data).judge(splitScope(checked.scope), false).undescribed : []
      const notes = [
        ...(undescribed.length > 0 ? [`undescribed scopes granted: ${undescribed.join(' ')}`] : []),
        ...(flow === 'current' && checked.nonce === null && splitScope(checked.scope).includes('openid')
          ? ['openid without nonce allowed']
          : []),
      ]
      if (notes.length > 0) request.journalNote = notes.join('; ')
      const hinted = resolveUser(context, query.login_hint)
      const sessionId = parseCookies(request.headers.cookie)[SESSION_COOKIE]
      const auth: AuthorizeRequest = {
        flow,
        clientId: client.clientId,
        redirectUri: client.redirectUri,
        redirectUriGiven: client.explicit,
        scopeGiven: given(query.scope) !== undefined,
        state,
        hintedUserId: hinted?.id ?? null,
        signedInUserId: context.signIn.signedInUser(sessionId),
        ...checked,
      }
      const prompt = splitScope(query.prompt)
      if (!prompt.includes('consent') && !prompt.includes('login')) {
        if (context.settings.autoApprove && hinted !== undefined) {
          // Named and loud: auto-approve weakens what Whop does, so each use is marked in the journal.
          request.journalNote = request.journalNote === undefined ? 'auto-approved' : `auto-approved; ${request.journalNote}`
          return approve(request, reply, auth, hinted)
        }
        const consented = context.signIn.consentedUser(sessionId, auth.clientId, auth.scope)
        const user = consented === null ? undefined : context.fixtures.user(consented)
        if (user !== undefined && (hinted === undefined || hinted.id === user.id)) return approve(request, reply, auth, user)
      }
      return showPage(reply, context.signIn.begin(auth), 200, null)
    }
  }

  return {
    authorize: authorizeWith('current'),
    authorizeLegacy: authorizeWith('legacy'),

    decideAuthorization(request, reply) {
      const form = request.body as { transaction: string; csrf: string; decision: 'approve' | 'deny'; user_id?: string; username?: string }
      const pending = context.signIn.pending(form.transaction)
      if (pending === undefined)
        throw parameterInvalid('transaction', 'This sign-in has expired or was already used. Start again from the app.')
      // Cross-site forgery: the form's token must match this sign-in's cookie, and a browser's Origin must be ours.
      const cookie = parseCookies(request.headers.cookie)[csrfCookie(pending.id)]
      if (form.csrf !== pending.csrf || cookie !== pending.csrf)
        throw forbidden('csrf', 'The sign-in form could not be verified (cross-site request?). Start again from the app.')
      const origin = request.headers.origin
      if (origin !== undefined && originHost(origin) !== request.headers.host) {
        throw forbidden('origin', `The sign-in form was posted from ${origin}, not from this page.`)
      }
      const auth = pending.request
      if (form.decision === 'deny') {
        context.signIn.finish(pending.id)
        return clientRedirect(reply, auth.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied the request.',
          state: auth.state,
        })
      }
      const typed = form.username?.trim()
      const user = typed ? context.fixtures.userByUsername(typed) : resolveUser(context, form.user_id)
      if (user === undefined) return showPage(reply, pending, 400, typed ? `No user is called ${typed}.` : 'Choose who you are.')
      context.signIn.finish(pending.id)
      return approve(request, reply, auth, user)
    },
  }
}
