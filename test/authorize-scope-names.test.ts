/**
 * Scopes are matched against the mock's own list only: a scope named like a property every
 * JavaScript object has (`toString`, `constructor`) is an unknown scope, never a 500.
 * @see docs/whop-reference.md §2.2 Authorize
 */
import t from 'tap'
import { startMock } from './helpers/start-mock.js'
import { confidentialApp } from './helpers/fixtures.js'
import { currentAuthorizeQuery, getNoFollow, pkce, random22 } from './helpers/oauth.js'

const NAMES = ['toString', 'constructor', 'openid __proto__']

t.test('the current flow redirects a scope named like an object property with invalid_scope', async (t) => {
  const mock = await startMock(t)
  for (const scope of NAMES) {
    const state = random22()
    const res = await getNoFollow(`${mock.url}/oauth/authorize?${currentAuthorizeQuery({ pkce: pkce(), scope, state, loginHint: null })}`)
    t.equal(res.status, 302, scope)
    t.match(
      Object.fromEntries(res.location?.searchParams ?? []),
      { error: 'invalid_scope', error_description: /^Unknown scope: /, state },
      scope,
    )
  }
})

t.test('the legacy page shows a scope named like an object property as given', async (t) => {
  const mock = await startMock(t)
  for (const scope of NAMES) {
    const res = await getNoFollow(`${mock.url}/oauth/?${new URLSearchParams({ client_id: confidentialApp.id, scope })}`)
    t.equal(res.status, 200, scope)
    for (const name of scope.split(' ')) t.match(res.text, `<li><code>${name}</code>`, name)
  }
})
