/**
 * Whether an authorize request may skip the sign-in page: auto-approve for a hinted user (a
 * named, loud test setting), or a session that already consented to these scopes for this app
 * [D D-OAUTH]. `prompt=consent` or `prompt=login` always shows the page.
 */
import type { MockContext } from '../../context.js'
import { splitScope } from '../../oauth/scopes.js'
import type { User } from '../../state/fixtures.js'
import type { AuthorizeRequest } from '../../state/sign-in.js'

export type ConsentDecision = { kind: 'approve'; user: User; autoApproved: boolean } | { kind: 'ask' }

export async function decideConsent(
  context: MockContext,
  auth: AuthorizeRequest,
  prompt: string | undefined,
  sessionId: string | undefined,
  hinted: User | undefined,
): Promise<ConsentDecision> {
  const prompts = splitScope(prompt)
  if (prompts.includes('consent') || prompts.includes('login')) return { kind: 'ask' }
  if (context.settings.autoApprove && hinted !== undefined) return { kind: 'approve', user: hinted, autoApproved: true }
  const consented = await context.signIn.consentedUser(sessionId, auth.clientId, splitScope(auth.scope))
  const user = consented === null ? undefined : context.fixtures.user(consented)
  if (user !== undefined && (hinted === undefined || hinted.id === user.id)) return { kind: 'approve', user, autoApproved: false }
  return { kind: 'ask' }
}
