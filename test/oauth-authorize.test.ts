/**
 * GET /oauth/authorize, the current OAuth 2.1 + PKCE + OpenID authorize page: what is an error
 * page, what goes back to the client, and when the sign-in page is skipped.
 * @see docs/whop-reference.md §2.2 Authorize, §6 items 4, 7, 28, 29
 */
import t from 'tap'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { acme, confidentialApp, initech, jane, publicApp, tom } from './helpers/fixtures.js'
import { currentAuthorizeQuery, getNoFollow, pkce } from './helpers/oauth.js'

const authorize = (url: string, query: URLSearchParams, headers: Record<string, string> = {}) =>
  getNoFollow(`${url}/oauth/authorize?${query}`, headers)

t.test('an unknown client_id gets an HTML error page (400) and never a redirect', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const clientId of ['app_00000000000000', '']) {
    const res = await authorize(mock.url, currentAuthorizeQuery({ clientId }))
    t.equal(res.status, 400)
    t.match(res.headers['content-type'], /^text\/html/)
    t.equal(res.location, null)
    t.match(res.text, /client_id/)
  }
})

t.test('a redirect_uri that does not exactly match a registered one gets an HTML error page and never a redirect', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const registered = publicApp.redirect_uris[0]!
  for (const redirectUri of [
    `${registered}/`,
    `${registered}?x=1`,
    registered.toUpperCase(),
    'https://evil.example/callback',
    confidentialApp.redirect_uris[0]!,
  ]) {
    const res = await authorize(mock.url, currentAuthorizeQuery({ redirectUri }))
    t.equal(res.status, 400, redirectUri)
    t.equal(res.location, null, `no redirect to ${redirectUri}`)
  }
  const missing = currentAuthorizeQuery()
  missing.delete('redirect_uri')
  t.equal((await authorize(mock.url, missing)).status, 400, 'the current flow requires redirect_uri')
})

t.test('error pages escape what the request put in them', async (t) => {
  const mock = await startMock(t)
  const res = await authorize(mock.url, currentAuthorizeQuery({ redirectUri: 'http://x/"><script>alert(1)</script>' }))
  t.equal(res.status, 400)
  t.notMatch(res.text, '<script>alert(1)</script>')
  t.match(res.text, '&#60;script&#62;')
})

const redirected = [
  ['response_type other than code', { extra: { response_type: 'token' } }, 'unsupported_response_type'],
  ['no code_challenge', { pkce: null }, 'invalid_request'],
  ['a plain code_challenge_method', { extra: { code_challenge_method: 'plain' } }, 'invalid_request'],
  ['a challenge that is not 43 base64url characters', { extra: { code_challenge: 'short' } }, 'invalid_request'],
  ['openid without nonce', { nonce: null }, 'invalid_request'],
  ['a malformed scope', { scope: 'openid Admin/Everything' }, 'invalid_scope'],
  ['no scope', { scope: '' }, 'invalid_request'],
  ['an unknown company_id', { companyId: 'biz_00000000000000' }, 'invalid_request'],
] as const

for (const [what, options, error] of redirected) {
  t.test(`${what} redirects back with error=${error}, an error_description and the state`, async (t) => {
    const mock = await startMock(t, { autoApprove: true })
    const res = await authorize(mock.url, currentAuthorizeQuery({ ...options, state: 'keep-me' }))
    t.equal(res.status, 302)
    t.equal(`${res.location!.origin}${res.location!.pathname}`, publicApp.redirect_uris[0])
    t.equal(res.location!.searchParams.get('error'), error)
    t.ok(res.location!.searchParams.get('error_description'))
    t.equal(res.location!.searchParams.get('state'), 'keep-me')
    t.equal(res.location!.searchParams.get('code'), null)
  })
}

t.test('without openid a nonce is not needed', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const res = await authorize(mock.url, currentAuthorizeQuery({ scope: 'chat:read', nonce: null }))
  t.equal(res.status, 302)
  t.ok(res.location!.searchParams.get('code'))
})

t.test('the sign-in page is shown by default, even with a login_hint', async (t) => {
  const mock = await startMock(t)
  const res = await authorize(mock.url, currentAuthorizeQuery({ loginHint: jane.id }))
  t.equal(res.status, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.text, publicApp.name)
  t.match(res.headers['set-cookie'], /^whop_mock_csrf_[\w-]+=[\w-]+; Path=\/oauth; Max-Age=600; HttpOnly; SameSite=Strict$/)
  t.match(res.headers, { 'cache-control': 'no-store', 'x-frame-options': 'DENY' })
})

t.test('auto-approve with a login_hint redirects at once with a code and the state, and says so in the journal', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const hint of [jane.id, jane.username]) {
    const res = await authorize(mock.url, currentAuthorizeQuery({ loginHint: hint, state: 's1' }))
    t.equal(res.status, 302, hint)
    t.match(res.location!.searchParams.get('code'), /^[\w-]{32}$/)
    t.equal(res.location!.searchParams.get('state'), 's1')
    t.equal(res.location!.searchParams.get('scope'), null, 'the current flow does not echo scope')
  }
  t.same(
    (await mock.context.journal.entries({ path: '/oauth/authorize' })).map((e) => e.note),
    ['auto-approved', 'auto-approved'],
  )
})

t.test('auto-approve without a login_hint, or naming nobody, still shows the sign-in page', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  t.equal((await authorize(mock.url, currentAuthorizeQuery({ loginHint: null }))).status, 200)
  t.equal((await authorize(mock.url, currentAuthorizeQuery({ loginHint: 'nobody' }))).status, 200)
})

t.test('auto-approve can be switched at run time through the control API, and reset restores it', async (t) => {
  const mock = await startMock(t)
  t.same((await call('GET', `${mock.url}/_mock/settings`)).body, {
    auto_approve: false,
    strict_scopes: false,
    allow_openid_without_nonce: false,
    revoke_grant_on_refresh_reuse: true,
  })
  t.same((await call('POST', `${mock.url}/_mock/settings`, { json: { auto_approve: true } })).body, {
    auto_approve: true,
    strict_scopes: false,
    allow_openid_without_nonce: false,
    revoke_grant_on_refresh_reuse: true,
  })
  t.equal((await authorize(mock.url, currentAuthorizeQuery())).status, 302)
  await call('POST', `${mock.url}/_mock/reset`)
  t.equal((await authorize(mock.url, currentAuthorizeQuery())).status, 200)
  t.match(await call('POST', `${mock.url}/_mock/settings`, { json: { auto_approve: 'yes' } }), {
    status: 400,
    body: { error: { param: 'auto_approve' } },
  })
})

t.test('prompt=consent shows the page even when auto-approve would skip it', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  t.equal((await authorize(mock.url, currentAuthorizeQuery({ extra: { prompt: 'consent' } }))).status, 200)
})

t.test('a company_id the user does not belong to is denied on approval', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const res = await authorize(mock.url, currentAuthorizeQuery({ companyId: initech.id, loginHint: jane.id, state: 'st' }))
  t.equal(res.status, 302)
  t.equal(res.location!.searchParams.get('error'), 'access_denied')
  t.equal(res.location!.searchParams.get('state'), 'st')
  const member = await authorize(mock.url, currentAuthorizeQuery({ companyId: acme.id, loginHint: jane.id }))
  t.ok(member.location!.searchParams.get('code'))
})

t.test('a registered redirect_uri keeps its own query when the code is added', async (t) => {
  const custom = structuredClone((await import('./helpers/fixtures.js')).defaults)
  custom.apps[1]!.redirect_uris = ['http://localhost:3000/callback?tenant=7']
  const mock = await startMock(t, { autoApprove: true, fixtures: custom })
  const res = await authorize(mock.url, currentAuthorizeQuery({ redirectUri: 'http://localhost:3000/callback?tenant=7', state: 'x' }))
  t.equal(res.location!.searchParams.get('tenant'), '7')
  t.ok(res.location!.searchParams.get('code'))
})

t.test('the same user signing in again with the same scopes is sent straight back (session consent)', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const first = await authorize(mock.url, currentAuthorizeQuery({ loginHint: tom.id }))
  const cookie = String(first.headers['set-cookie']).split(';')[0]!
  await call('POST', `${mock.url}/_mock/settings`, { json: { auto_approve: false } })
  const again = await authorize(mock.url, currentAuthorizeQuery({ loginHint: null, pkce: pkce() }), { cookie })
  t.equal(again.status, 302, 'no consent page the second time')
  t.ok(again.location!.searchParams.get('code'))
  t.equal((await mock.context.journal.entries({ path: '/oauth/authorize' }))[1]!.note, null, 'not auto-approve this time')
  const moreScopes = await authorize(mock.url, currentAuthorizeQuery({ loginHint: null, scope: 'openid profile email chat:read' }), {
    cookie,
  })
  t.equal(moreScopes.status, 200, 'new scopes need consent again')
  const otherUser = await authorize(mock.url, currentAuthorizeQuery({ loginHint: jane.id }), { cookie })
  t.equal(otherUser.status, 200, 'a hint naming someone else shows the page')
})

t.test('the sign-in page preselects the signed-in user, unless a login_hint names someone', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const first = await authorize(mock.url, currentAuthorizeQuery({ loginHint: tom.id }))
  const cookie = String(first.headers['set-cookie']).split(';')[0]!
  const checkedUser = (html: string) => /value="([^"]+)" checked/.exec(html)?.[1]
  const consent = await authorize(mock.url, currentAuthorizeQuery({ loginHint: null, extra: { prompt: 'consent' } }), { cookie })
  t.equal(consent.status, 200)
  t.equal(checkedUser(consent.text), tom.id, 'the session user, not the first fixture user')
  const hinted = await authorize(mock.url, currentAuthorizeQuery({ loginHint: jane.id, extra: { prompt: 'consent' } }), { cookie })
  t.equal(checkedUser(hinted.text), jane.id, 'the login_hint wins')
  const noSession = await authorize(mock.url, currentAuthorizeQuery({ loginHint: null, extra: { prompt: 'consent' } }))
  t.equal(checkedUser(noSession.text), jane.id, 'without a session, the first fixture user')
})

t.test('the sign-in form is refused (403) unless its csrf token equals the cookie’s exactly, whatever its length', async (t) => {
  const mock = await startMock(t)
  const page = await authorize(mock.url, currentAuthorizeQuery())
  t.equal(page.status, 200)
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)?.[1] ?? ''
  const csrf = field('csrf')
  const form = { transaction: field('transaction'), csrf, decision: 'approve', user_id: jane.id }
  const cookie = String(page.headers['set-cookie']).split(';')[0] ?? ''
  const lastFlipped = csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A')
  const forgeries: [string, string][] = [
    ['last character changed', lastFlipped],
    ['one character short', csrf.slice(0, -1)],
    ['one character long', `${csrf}A`],
    ['empty', ''],
  ]
  for (const [what, forged] of forgeries) {
    const res = await call('POST', `${mock.url}/oauth/authorize`, { form: { ...form, csrf: forged }, headers: { cookie } })
    t.equal(res.status, 403, what)
  }
  const otherCookie = cookie.replace(/=.*$/, `=${lastFlipped}`)
  t.equal(
    (await call('POST', `${mock.url}/oauth/authorize`, { form, headers: { cookie: otherCookie } })).status,
    403,
    'a cookie that is not the page’s',
  )
  const genuine = await call('POST', `${mock.url}/oauth/authorize`, { form, headers: { cookie } })
  t.equal(genuine.status, 302, 'the page’s own token and cookie are accepted')
})
