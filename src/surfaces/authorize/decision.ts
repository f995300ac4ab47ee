/**
 * POST /oauth/authorize: the sign-in form's answer. The form must prove it came from the page
 * (CSRF token in the form and its cookie, compared in constant time; a browser's Origin must be
 * ours), then the person's choice approves as someone or denies.
 * @see docs/whop-reference.md §2.3
 */
import type { FastifyReply } from 'fastify'
import type { MockContext } from '../../context.js'
import { safeEqual } from '../../crypto/safe-equal.js'
import { forbidden, parameterInvalid } from '../../errors.js'
import type { OperationRequest } from '../../handlers.js'
import type { PendingSignIn } from '../../state/sign-in.js'
import { approve } from './approve.js'
import { csrfCookieOf } from './cookies.js'
import { showPage } from './page.js'
import { clientRedirect } from './redirect.js'
import { resolveUser } from './user.js'

type DecisionRequest = OperationRequest<'decideAuthorization'>

/** The host of an Origin header; an opaque or malformed origin ("null") matches no host. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}

/** Cross-site forgery: the form's token must match this sign-in's cookie, and a browser's Origin must be ours. */
function checkForgery(request: DecisionRequest, pending: PendingSignIn): void {
  const cookie = csrfCookieOf(request, pending.id)
  if (!safeEqual(request.body.csrf, pending.csrf) || cookie === undefined || !safeEqual(cookie, pending.csrf))
    throw forbidden('csrf', 'The sign-in form could not be verified (cross-site request?). Start again from the app.')
  const origin = request.headers.origin
  if (origin !== undefined && originHost(origin) !== request.headers.host) {
    throw forbidden('origin', `The sign-in form was posted from ${origin}, not from this page.`)
  }
}

export async function decideAuthorization(context: MockContext, request: DecisionRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = request.body
  const pending = await context.signIn.pending(form.transaction)
  if (pending === undefined)
    throw parameterInvalid('transaction', 'This sign-in has expired or was already used. Start again from the app.')
  checkForgery(request, pending)
  const auth = pending.request
  if (form.decision === 'deny') {
    await context.signIn.finish(pending.id)
    return clientRedirect(reply, auth.redirectUri, {
      error: 'access_denied',
      error_description: 'The user denied the request.',
      state: auth.state,
    })
  }
  const typed = form.username?.trim()
  const user = typed ? context.fixtures.userByUsername(typed) : resolveUser(context, form.user_id)
  if (user === undefined) return showPage(context, reply, pending, 400, typed ? `No user is called ${typed}.` : 'Choose who you are.')
  await context.signIn.finish(pending.id)
  return approve(context, request, reply, auth, user)
}
