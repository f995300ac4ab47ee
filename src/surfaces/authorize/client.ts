/**
 * Resolve the client and its redirect_uri: the checks whose failure must never redirect, since
 * until they pass there is no verified place to send the person back to.
 * @see docs/whop-reference.md §2.2 Authorize, §6 item 7
 */
import type { MockContext } from '../../context.js'
import { parameterInvalid, parameterMissing } from '../../errors.js'
import { given } from '../../http/params.js'
import type { Flow } from '../../state/grants.js'

export interface VerifiedClient {
  clientId: string
  redirectUri: string
  /** False when the legacy page defaulted redirect_uri to the registered one. */
  explicit: boolean
}

export function verifyClient(context: MockContext, query: { client_id?: string; redirect_uri?: string }, flow: Flow): VerifiedClient {
  const clientId = given(query.client_id)
  if (clientId === undefined) throw parameterMissing('client_id', 'This sign-in link has no client_id, so there is no app to sign in to.')
  const app = context.fixtures.app(clientId)
  if (app === undefined) throw parameterInvalid('client_id', `No app is registered with client_id ${clientId}.`)
  const redirectUri = given(query.redirect_uri)
  if (redirectUri === undefined) {
    // The legacy page defaults to the registered URI [D S2]; the current flow requires one [D D-OAUTH].
    const registered = app.redirect_uris[0]
    if (flow === 'legacy' && registered !== undefined) return { clientId, redirectUri: registered, explicit: false }
    throw parameterMissing('redirect_uri', 'This sign-in link has no redirect_uri.')
  }
  if (!app.redirect_uris.includes(redirectUri)) {
    throw parameterInvalid('redirect_uri', `The redirect_uri ${redirectUri} is not registered for ${app.name}; it must match one exactly.`)
  }
  return { clientId, redirectUri, explicit: true }
}
