/**
 * Whop's provisioning API driven by @whop/sdk 0.0.42, unmodified, against a real server:
 * apps, companies (connected accounts), users, files and access checks, with the permissions
 * the SDK documents and the key's company scope.
 * @see docs/whop-reference.md §10
 */
import t from 'tap'
import Whop, { toFile } from '@whop/sdk'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { acme, companyKey, globex, jane, maria, publicApp, restrictedKey, sam, tom } from './helpers/fixtures.js'
import { decodeJwt } from 'jose'
import { MAX_CREATED } from '../src/surfaces/provisioning/limits.js'
import { exchangeCurrent, getNoFollow, pkce, currentAuthorizeQuery } from './helpers/oauth.js'

const client = (url: string, apiKey = companyKey.key) => new Whop({ apiKey, baseURL: `${url}/api/v1`, maxRetries: 0 })

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: { status: number; error: { error: { type: string; message: string; param?: string | null } } }) => e,
  )

t.test('apps.create makes an app that runs the whole OAuth flow at once; apps.update changes its redirect URIs', async (t) => {
  const mock = await startMock(t)
  const whop = client(mock.url)
  const app = await whop.apps.create({ company_id: acme.id, name: 'My App', redirect_uris: ['http://localhost:3000/cb'] })
  t.match(app.id, /^app_[A-Za-z0-9]{14}$/)
  t.match(app, { name: 'My App', company: { id: acme.id, title: acme.title }, redirect_uris: ['http://localhost:3000/cb'] })
  const secret = (app as unknown as { client_secret: string }).client_secret
  t.match(secret, /^apik_[A-Za-z0-9]{13}_A\d{7}_[0-9a-f]{64}$/, 'the client secret has the real key shape')
  t.equal(app.api_key?.token, secret, 'and is the app API key the SDK type shows')
  t.same(await whop.apps.retrieve(app.id), app, 'retrieve shows the same app')

  const verifier = pkce()
  const query = currentAuthorizeQuery({ clientId: app.id, redirectUri: 'http://localhost:3000/cb', pkce: verifier })
  mock.context.settings.autoApprove = true
  const code = (await getNoFollow(`${mock.url}/oauth/authorize?${query}`)).location!.searchParams.get('code')!
  const tokens = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: 'http://localhost:3000/cb',
    client_id: app.id,
    client_secret: secret,
    code_verifier: verifier.verifier,
  })
  t.equal(tokens.status, 200)
  const refreshed = await exchangeCurrent(mock.url, {
    grant_type: 'refresh_token',
    refresh_token: tokens.body.refresh_token,
    client_id: app.id,
    client_secret: secret,
  })
  t.equal(refreshed.status, 200, 'refresh works')
  const revoked = await call('POST', `${mock.url}/oauth/revoke`, {
    json: { token: refreshed.body.refresh_token, client_id: app.id, client_secret: secret },
  })
  t.equal(revoked.status, 200, 'revoke works')

  const updated = await whop.apps.update(app.id, { redirect_uris: ['com.Example.App://oauth/callback'] })
  t.same(updated.redirect_uris, ['com.Example.App://oauth/callback'])
  const old = await getNoFollow(
    `${mock.url}/oauth/authorize?${currentAuthorizeQuery({ clientId: app.id, redirectUri: 'http://localhost:3000/cb' })}`,
  )
  t.equal(old.status, 400, 'the next authorize refuses the removed URI')
  const listed = await whop.apps.list({ company_id: acme.id })
  t.ok(
    listed.data.some((a) => a.id === app.id),
    'apps.list shows it',
  )
  t.notOk(JSON.stringify(listed.data).includes(secret), 'without its secret')
})

t.test('each operation demands the permissions the SDK documents, and a key reaches only its companies', async (t) => {
  const mock = await startMock(t)
  const readOnly = client(mock.url, restrictedKey.key)
  for (const [what, promise, permission] of [
    ['apps.create', () => readOnly.apps.create({ company_id: globex.id, name: 'x' }), 'developer:create_app'],
    ['companies.create', () => readOnly.companies.create({ title: 'x', parent_company_id: globex.id, email: 'a@b.co' }), 'company:create'],
    ['companies.retrieve', () => readOnly.companies.retrieve(globex.id), 'company:basic:read'],
    ['apps.retrieve', () => readOnly.apps.retrieve('app_vUCsMehGAkWvj7'), 'developer:manage_api_key'],
  ] as const) {
    const error = await failure(promise())
    t.equal(error?.status, 403, what)
    t.match(error?.error, { error: { type: 'forbidden', message: new RegExp(permission) } }, `${what} names ${permission}`)
  }
  const whop = client(mock.url)
  const outside = await failure(whop.apps.create({ company_id: globex.id, name: 'x' }))
  t.match(outside, { status: 403, error: { error: { type: 'forbidden', param: 'company_id' } } }, 'a company outside the key')
  t.match(await failure(whop.companies.retrieve(globex.id)), { status: 403 })
  t.match(await failure(whop.apps.retrieve('app_00000000000000')), { status: 404, error: { error: { type: 'not_found' } } })
  t.match(await failure(whop.companies.retrieve('biz_00000000000000')), { status: 404 })
})

t.test('companies.create with parent_company_id creates a connected account whose owner can be minted a token at once', async (t) => {
  const mock = await startMock(t)
  const whop = client(mock.url)
  const company = await whop.companies.create({
    email: 'user@example.com',
    parent_company_id: acme.id,
    title: 'Jane Doe',
    metadata: { internal_user_id: 'user_12345' },
  })
  t.match(company.id, /^biz_[A-Za-z0-9]{14}$/)
  t.match(company.owner_user.id, /^user_[A-Za-z0-9]{13}$/)
  t.same(company.metadata, { internal_user_id: 'user_12345' })
  t.same(await whop.companies.retrieve(company.id), company, 'the platform key reaches the connected account')
  const { token } = await whop.accessTokens.create({ company_id: acme.id, user_id: company.owner_user.id, scoped_actions: ['chat:read'] })
  t.ok(token)
  const fixtures = (await call('GET', `${mock.url}/_mock/fixtures`)).body
  t.ok(
    fixtures.companies.some((c: { id: string }) => c.id === company.id),
    'visible in GET /_mock/fixtures',
  )
  t.ok(fixtures.users.some((u: { id: string }) => u.id === company.owner_user.id))
  await call('POST', `${mock.url}/_mock/reset`)
  t.match(await failure(whop.companies.retrieve(company.id)), { status: 404 }, 'gone after reset')
  t.match(await failure(whop.companies.create({ title: 'x', parent_company_id: acme.id })), {
    status: 400,
    error: { error: { param: 'email' } },
  })
  t.match(await failure(whop.companies.create({ title: 'x' })), { status: 400, error: { error: { param: 'parent_company_id' } } })
})

t.test('users.retrieve, users.update with a company (override) and without, with an uploaded picture', async (t) => {
  const mock = await startMock(t)
  const whop = client(mock.url)
  t.match(await whop.users.retrieve(sam.id), { id: sam.id, username: sam.username, name: sam.name })
  t.match(await whop.users.retrieve(sam.username), { id: sam.id })
  t.match(await failure(whop.users.retrieve('user_0000000000000')), { status: 404 })

  const file = await whop.files.upload(await toFile(Buffer.from('png bytes'), 'avatar.png', { type: 'image/png' }))
  t.match(file, { id: /^file_[A-Za-z0-9]{14}$/, upload_status: 'ready', size: '9', content_type: 'image/png' })
  const bytes = await fetch(file.url!)
  t.equal(await bytes.text(), 'png bytes', 'the file URL serves the uploaded bytes')

  const updated = await whop.users.update(sam.id, { account_id: acme.id, name: 'Sam at Acme', profile_picture: { id: file.id } })
  t.match(updated, { name: 'Sam at Acme', profile_picture: { url: file.url } })
  t.match(await whop.users.retrieve(sam.id), { name: sam.name }, 'the global profile is unchanged')
  t.match(await whop.users.retrieve(sam.id, { account_id: acme.id }), { name: 'Sam at Acme' }, 'the company shows its override')
  t.match(await failure(whop.users.update(sam.id, { name: 'x' } as never)), { status: 400, error: { error: { param: 'account_id' } } })
  t.match(await failure(whop.users.update(maria.id, { account_id: globex.id, name: 'x' })), { status: 403 })
  t.match(await failure(whop.users.update(sam.id, { account_id: acme.id, profile_picture: { id: 'file_00000000000000' } })), {
    status: 400,
  })
})

t.test('users.checkAccess answers admin, customer or no_access from the fixtures', async (t) => {
  const mock = await startMock(t)
  const whop = client(mock.url)
  t.same(await whop.users.checkAccess(acme.id, { id: jane.id }), { has_access: true, access_level: 'admin' })
  t.same(await whop.users.checkAccess(acme.id, { id: sam.username }), { has_access: true, access_level: 'customer' })
  t.same(await whop.users.checkAccess(acme.id, { id: tom.id }), { has_access: false, access_level: 'no_access' })
  t.match(await failure(whop.users.checkAccess(globex.id, { id: jane.id })), { status: 403 })
  t.match(await failure(whop.users.checkAccess('biz_00000000000000', { id: jane.id })), { status: 404 })
})

t.test('bad input gets the v1 envelope, never a 5xx', async (t) => {
  const mock = await startMock(t)
  const auth = { authorization: `Bearer ${companyKey.key}` }
  for (const [method, path, json] of [
    ['POST', '/api/v1/apps', { name: 42 }],
    ['POST', '/api/v1/apps', { company_id: acme.id }],
    ['POST', '/api/v1/apps', { company_id: acme.id, name: 'x', redirect_uris: ['not a uri'] }],
    ['POST', '/api/v1/companies', { title: ['x'] }],
    ['POST', '/api/v1/files', {}],
    ['PATCH', `/api/v1/users/${sam.id}?account_id=${acme.id}`, { profile_picture: 'x' }],
  ] as const) {
    const res = await call(method, `${mock.url}${path}`, { headers: auth, json })
    t.equal(res.status, 400, `${method} ${path} ${JSON.stringify(json)}`)
    t.match(res.body, { error: { type: 'invalid_request_error', message: String } })
  }
  const unauthenticated = await call('POST', `${mock.url}/api/v1/apps`, { json: { name: 'x' } })
  t.match(unauthenticated, { status: 401, body: { error: { type: 'unauthorized' } } })
})

t.test('a company-specific profile shows in userinfo and id_tokens of a token scoped to that company, not elsewhere', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  await client(mock.url).users.update(jane.id, { account_id: acme.id, name: 'Jane at Acme' })
  const signIn = async (companyId?: string) => {
    const verifier = pkce()
    const query = currentAuthorizeQuery({ pkce: verifier, ...(companyId === undefined ? {} : { companyId }) })
    const code = (await getNoFollow(`${mock.url}/oauth/authorize?${query}`)).location!.searchParams.get('code')!
    const tokens = await exchangeCurrent(mock.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: publicApp.redirect_uris[0]!,
      client_id: publicApp.id,
      code_verifier: verifier.verifier,
    })
    const info = await call('GET', `${mock.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } })
    return { info: info.body, idToken: decodeJwt(String(tokens.body.id_token)) }
  }
  const scoped = await signIn(acme.id)
  t.equal(scoped.info.name, 'Jane at Acme')
  t.equal(scoped.idToken.name, 'Jane at Acme')
  const global = await signIn()
  t.equal(global.info.name, jane.name)
})

t.test('created objects are bounded: past the limit a clear 400, and nothing created before is lost', async (t) => {
  const mock = await startMock(t)
  const whop = client(mock.url)
  const ids: string[] = []
  for (let i = 0; i < MAX_CREATED; i++) ids.push((await whop.files.create({ filename: `f${i}.txt` })).id)
  const refused = await failure(whop.files.create({ filename: 'one-too-many.txt' }))
  t.match(refused, { status: 400, error: { error: { type: 'invalid_request_error', message: /at most 500 files/ } } })
  t.equal((await whop.files.retrieve(ids[0]!)).id, ids[0], 'the first is still there')
  t.equal((await whop.files.retrieve(ids.at(-1)!)).id, ids.at(-1), 'and the last')
})

t.test('users.retrieve("me") is GET /api/v1/users/me: the user a token was issued to; an API key has no user (401)', async (t) => {
  const mock = await startMock(t)
  const minted = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: { authorization: `Bearer ${companyKey.key}` },
    json: { company_id: acme.id, user_id: sam.id },
  })
  t.equal(minted.status, 200)
  const asSam = client(mock.url, minted.body.token)
  t.match(await asSam.users.retrieve('me'), { id: sam.id, username: sam.username })
  const withKey = await failure(client(mock.url).users.retrieve('me'))
  t.match(withKey, { status: 401, error: { error: { type: 'unauthorized' } } })
})

t.test('a file named like a member of Object.prototype gets the default content type, as the spec requires', async (t) => {
  const mock = await startMock(t)
  for (const filename of ['constructor', '__proto__', 'toString', 'x.hasOwnProperty', 'photo.PNG']) {
    const res = await call('POST', `${mock.url}/api/v1/files`, {
      headers: { authorization: `Bearer ${companyKey.key}` },
      json: { filename },
    })
    t.equal(res.status, 200, filename)
    t.equal(res.body.content_type, filename === 'photo.PNG' ? 'image/png' : 'application/octet-stream', `${filename}: content_type`)
  }
})
