/**
 * Apps through the v1 API: create, retrieve, update, list. A created app can run the whole
 * OAuth flow at once with the redirect URIs it was given.
 * Mock choice (how the secret reaches its owner): a created app is confidential and its client
 * secret is its app API key, returned as `api_key.token` (the 0.0.42 `App` field, shown to keys
 * with `developer:manage_api_key`, which create demands) and, the same value, as `client_secret`,
 * which the chat guide prints [D S1]; @whop/api also sends the app API key as client_secret [D OLD].
 * @see docs/whop-reference.md §10
 */
import type { MockContext } from '../../context.js'
import type { Handlers } from '../../handlers.js'
import { requireCredential } from '../../auth/credentials.js'
import type { Credential } from '../../auth/credentials.js'
import { notFound, parameterInvalid, parameterMissing } from '../../errors.js'
import type { ApiKey, OAuthApp } from '../../state/fixtures.js'
import { reachableCompanies, requireCompany, requirePermissions } from './access.js'
import { newApiKey, newId } from './ids.js'
import { createdCount, requireRoom } from './limits.js'
import { appListView, appView } from './views.js'

/** "Required permissions" in @whop/sdk 0.0.42 resources/apps.ts. */
export const APP_PERMISSIONS = {
  create: ['developer:create_app', 'developer:manage_api_key', 'developer:update_app'],
  retrieve: ['developer:manage_api_key', 'developer:update_app'],
  update: ['developer:update_app', 'developer:manage_api_key'],
} as const

function checkRedirectUris(uris: string[]): string[] {
  for (const uri of uris) {
    if (!URL.canParse(uri))
      throw parameterInvalid('redirect_uris', `Invalid parameter: redirect_uris holds ${JSON.stringify(uri)}, not an absolute URI.`)
  }
  return [...new Set(uris)]
}

/** Mock choice: without company_id (the guide sends none), the key's only company; several is 400. */
function ownerCompany(context: MockContext, credential: Credential, companyId: string | null | undefined): string {
  if (companyId !== null && companyId !== undefined) {
    if (context.fixtures.company(companyId) === undefined) throw notFound('company_id')
    requireCompany(context.fixtures, credential, companyId, 'company_id')
    return companyId
  }
  const reachable = credential.kind === 'api_key' ? credential.apiKey.company_ids : reachableCompanies(context.fixtures, credential)
  if (reachable.length !== 1) throw parameterMissing('company_id')
  return reachable[0]!
}

function appFor(context: MockContext, credential: Credential, id: string): OAuthApp {
  const app = context.fixtures.app(id)
  if (app === undefined) throw notFound('id')
  requireCompany(context.fixtures, credential, app.company_id, 'id')
  return app
}

export function appHandlers(context: MockContext): Handlers<'createApp' | 'retrieveApp' | 'updateApp' | 'listApps'> {
  return {
    createApp(request, reply) {
      const credential = requireCredential(request)
      requirePermissions(credential, APP_PERMISSIONS.create)
      const body = request.body
      const companyId = ownerCompany(context, credential, body.company_id)
      requireRoom(createdCount(context.fixtures, context.initialFixtures.apps.length, 'apps'), 'apps')
      const id = newId('app')
      const key: ApiKey = {
        key: newApiKey('app'),
        name: `${body.name!} app key`,
        kind: 'app',
        app_id: id,
        company_ids: [companyId],
        permissions: credential.kind === 'app_user_token' ? [] : [...credential.permissions],
      }
      const app: OAuthApp = {
        id,
        name: body.name!,
        company_id: companyId,
        client_type: body.oauth_client_type ?? 'confidential',
        redirect_uris: checkRedirectUris(body.redirect_uris ?? []),
        created_at: context.clock.now().toISOString(),
      }
      if (app.client_type === 'confidential') app.client_secret = key.key
      context.fixtures.addApp(app)
      context.fixtures.addApiKey(key)
      reply.code(200)
      return appView(context.fixtures, app)
    },

    retrieveApp(request) {
      const credential = requireCredential(request)
      requirePermissions(credential, APP_PERMISSIONS.retrieve)
      return appView(context.fixtures, appFor(context, credential, request.params.id))
    },

    updateApp(request) {
      const credential = requireCredential(request)
      requirePermissions(credential, APP_PERMISSIONS.update)
      const app = appFor(context, credential, request.params.id)
      const body = request.body ?? {}
      if (body.name !== undefined && body.name !== null) app.name = body.name
      if (body.redirect_uris !== undefined && body.redirect_uris !== null) app.redirect_uris = checkRedirectUris(body.redirect_uris)
      if (body.oauth_client_type === 'public') {
        app.client_type = 'public'
        delete app.client_secret
      } else if (body.oauth_client_type === 'confidential' && app.client_secret === undefined) {
        app.client_type = 'confidential'
        app.client_secret = context.fixtures.appApiKeys(app.id)[0]?.key ?? newApiKey('app')
      }
      return appView(context.fixtures, app)
    },

    listApps(request) {
      const credential = requireCredential(request)
      const query = request.query
      const reachable = reachableCompanies(context.fixtures, credential)
      const apps = context.fixtures.data.apps.filter(
        (a) => reachable.includes(a.company_id) && (query.company_id === undefined || a.company_id === query.company_id),
      )
      const page = apps.slice(0, query.first ?? 100)
      return {
        data: page.map((a) => appListView(context.fixtures, a)),
        page_info: { has_next_page: apps.length > page.length, has_previous_page: false, end_cursor: null, start_cursor: null },
      }
    },
  }
}
