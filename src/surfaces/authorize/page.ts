/** The sign-in page as an answer: the rendered HTML with its headers and its CSRF cookie. */
import type { FastifyReply } from 'fastify'
import type { MockContext } from '../../context.js'
import { parameterInvalid } from '../../errors.js'
import { scopeCatalogFor } from '../../oauth/scope-catalog.js'
import { splitScope } from '../../oauth/scopes.js'
import type { PendingSignIn } from '../../state/sign-in.js'
import { renderSignInPage } from '../sign-in-page.js'
import { csrfCookie } from './cookies.js'

/** Nothing loads but inline styles and images; no page may frame it (clickjacking the consent) nor rebase its form. */
const SIGN_IN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'; base-uri 'none'"

export function showPage(
  context: MockContext,
  reply: FastifyReply,
  pending: PendingSignIn,
  status: number,
  error: string | null,
): FastifyReply {
  const auth = pending.request
  const app = context.fixtures.app(auth.clientId)
  // A reset with other fixtures can remove the app between the page and its form.
  if (app === undefined) throw parameterInvalid('client_id', `No app is registered with client_id ${auth.clientId}.`)
  const html = renderSignInPage({
    appName: app.name,
    clientId: app.id,
    scopes: splitScope(auth.scope),
    describeScope: (scope) => scopeCatalogFor(context.fixtures.data).describe(scope),
    companyTitle: auth.companyId === null ? null : (context.fixtures.company(auth.companyId)?.title ?? auth.companyId),
    users: context.fixtures.data.users,
    selectedUserId: auth.hintedUserId ?? auth.signedInUserId,
    formAction: `${context.basePath}/oauth/authorize`,
    transaction: pending.id,
    csrf: pending.csrf,
    error,
  })
  return reply
    .code(status)
    .headers({
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'content-security-policy': SIGN_IN_PAGE_CSP,
      'set-cookie': csrfCookie(context, pending.id, pending.csrf),
    })
    .type('text/html; charset=utf-8')
    .send(html)
}
