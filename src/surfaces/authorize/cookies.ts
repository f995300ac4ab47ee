/** The authorize pages' cookies: the browser session, and each pending sign-in's CSRF token. */
import type { FastifyRequest } from 'fastify'
import type { MockContext } from '../../context.js'
import { parseCookies, serializeCookie } from '../../http/cookies.js'
import { SESSION_TTL_MS, SIGN_IN_TTL_MS } from '../../state/sign-in.js'

const SESSION_COOKIE = 'whop_mock_session'
const csrfCookieName = (transaction: string) => `whop_mock_csrf_${transaction.slice(0, 12)}`

const secure = (context: MockContext) => context.publicUrl.startsWith('https:')

export function sessionIdOf(request: FastifyRequest): string | undefined {
  return parseCookies(request.headers.cookie)[SESSION_COOKIE]
}

export function sessionCookie(context: MockContext, sessionId: string): string {
  return serializeCookie(SESSION_COOKIE, sessionId, {
    // Each tenant's browser session is its own: the cookie goes only to that tenant's paths.
    path: context.basePath === '' ? '/' : context.basePath,
    sameSite: 'Lax',
    maxAgeSeconds: SESSION_TTL_MS / 1000,
    secure: secure(context),
  })
}

export function csrfCookieOf(request: FastifyRequest, transaction: string): string | undefined {
  return parseCookies(request.headers.cookie)[csrfCookieName(transaction)]
}

export function csrfCookie(context: MockContext, transaction: string, csrf: string): string {
  return serializeCookie(csrfCookieName(transaction), csrf, {
    path: `${context.basePath}/oauth`,
    sameSite: 'Strict',
    maxAgeSeconds: SIGN_IN_TTL_MS / 1000,
    secure: secure(context),
  })
}
