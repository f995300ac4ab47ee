/**
 * Every permission @whop/sdk documents is a scope the mock knows: accepted at authorize,
 * described on the consent page, usable as an API-key permission and as scoped_actions.
 * Unknown well-formed scopes are granted as undescribed unless strict scopes are on.
 * @see docs/whop-reference.md §10 Permissions
 */
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { KNOWN_SCOPES, SDK_PERMISSION_COUNT } from '../src/data/permissions.js'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, defaults, jane } from './helpers/fixtures.js'
import { currentAuthorizeQuery, getNoFollow } from './helpers/oauth.js'

/** The SDK's "Required permissions", read here independently of the generator script. */
function sdkPermissions(): Set<string> {
  const names = new Set<string>()
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.d.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/^\s*\*\s*- `([a-z_]+(?::[a-z_]+)+)`\s*$/gm)) names.add(m[1]!)
    }
  }
  walk('node_modules/@whop/sdk/resources')
  return names
}

t.test('the data file lists all 77 permissions @whop/sdk documents, each with its source', async (t) => {
  const sdk = sdkPermissions()
  t.equal(sdk.size, 77)
  t.equal(SDK_PERMISSION_COUNT, 77)
  const known = new Map(KNOWN_SCOPES.map((s) => [s.name, s]))
  for (const name of sdk) {
    const entry = known.get(name)
    t.ok(
      entry?.sources.some((source) => source.startsWith('@whop/sdk resources/')),
      `${name} is listed with its SDK source`,
    )
    t.ok(entry?.description, `${name} is described`)
  }
  for (const name of [
    'openid',
    'profile',
    'email',
    'read_user',
    'membership:update',
    'member:stats:read',
    'stats:read',
    'dms:message:manage',
  ])
    t.ok(known.has(name), `${name} is known`)
})

const PUBLIC_APP_SCOPE =
  'openid profile email membership:update member:basic:read member:email:read member:stats:read plan:basic:read stats:read chat:read'

t.test("a real app's sign-in asking for documented permissions completes", async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const res = await getNoFollow(`${mock.url}/oauth/authorize?${currentAuthorizeQuery({ scope: PUBLIC_APP_SCOPE })}`)
  t.equal(res.status, 302)
  t.ok(res.location!.searchParams.get('code'))
  t.equal(res.location!.searchParams.get('error'), null)
})

t.test('the consent page describes every known scope and marks an unknown one as not described', async (t) => {
  const mock = await startMock(t)
  const scope = `openid payment:basic:read developer:create_app widget:frob`
  const res = await getNoFollow(`${mock.url}/oauth/authorize?${currentAuthorizeQuery({ scope, loginHint: null })}`)
  t.equal(res.status, 200)
  t.match(res.text, '<li><code>payment:basic:read</code>: See basic payment information</li>')
  t.match(res.text, '<li><code>developer:create_app</code>: Create apps for developer</li>')
  t.match(res.text, /<li><code>widget:frob<\/code>: <em class="undescribed">not described/)
  const [entry] = await mock.context.journal.entries({ path: '/oauth/authorize' })
  t.equal(entry?.note, 'undescribed scopes granted: widget:frob')
})

t.test('strict scopes refuse an unknown well-formed scope; each way to turn them on works', async (t) => {
  const query = () => currentAuthorizeQuery({ scope: 'openid widget:frob', state: 'st' })
  const refused = (res: Awaited<ReturnType<typeof getNoFollow>>) =>
    res.status === 302 && res.location!.searchParams.get('error') === 'invalid_scope'
  const byOption = await startMock(t, { autoApprove: true, strictScopes: true })
  t.ok(refused(await getNoFollow(`${byOption.url}/oauth/authorize?${query()}`)), 'library option')

  const mock = await startMock(t, { autoApprove: true })
  t.notOk(refused(await getNoFollow(`${mock.url}/oauth/authorize?${query()}`)), 'granted by default')
  const set = await call('POST', `${mock.url}/_mock/settings`, { json: { strict_scopes: true } })
  t.same(set.body, { auto_approve: true, strict_scopes: true, allow_openid_without_nonce: false, revoke_grant_on_refresh_reuse: true })
  t.ok(refused(await getNoFollow(`${mock.url}/oauth/authorize?${query()}`)), 'control API')
  const known = await getNoFollow(`${mock.url}/oauth/authorize?${currentAuthorizeQuery({ scope: 'openid plan:basic:read' })}`)
  t.ok(known.location!.searchParams.get('code'), 'a documented permission is still granted when strict')
  await call('POST', `${mock.url}/_mock/reset`)
  t.same(
    (await call('GET', `${mock.url}/_mock/settings`)).body,
    { auto_approve: true, strict_scopes: false, allow_openid_without_nonce: false, revoke_grant_on_refresh_reuse: true },
    'reset restores it',
  )
})

t.test('a fixture file may add scopes with descriptions', async (t) => {
  const fixtures = structuredClone(defaults)
  fixtures.scopes = [{ name: 'widget:frob', description: 'Frobnicate your widgets' }]
  const mock = await startMock(t, { fixtures, strictScopes: true })
  const res = await getNoFollow(`${mock.url}/oauth/authorize?${currentAuthorizeQuery({ scope: 'openid widget:frob', loginHint: null })}`)
  t.equal(res.status, 200)
  t.match(res.text, '<li><code>widget:frob</code>: Frobnicate your widgets</li>')
})

t.test('documented permissions work as API-key permissions and scoped_actions', async (t) => {
  const fixtures = structuredClone(defaults)
  const key = 'apik_PermTestKey00_C0000001_' + 'ab'.repeat(32)
  fixtures.api_keys.push({
    key,
    name: 'all documented',
    kind: 'company',
    company_ids: [acme.id],
    permissions: KNOWN_SCOPES.filter((s) => s.kind === 'permission').map((s) => s.name),
  })
  const mock = await startMock(t, { fixtures })
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(key),
    json: { company_id: acme.id, user_id: jane.id, scoped_actions: ['member:email:read', 'plan:basic:read', 'payment:basic:read'] },
  })
  t.equal(res.status, 200)
  const payload = JSON.parse(Buffer.from(String(res.body.token).split('.')[1]!, 'base64url').toString())
  t.same(payload.scoped_actions, ['member:email:read', 'plan:basic:read', 'payment:basic:read'])
})
