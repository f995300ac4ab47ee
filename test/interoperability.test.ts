/**
 * Interoperability choices, each named: redirect URIs echoed byte for byte, Basic client
 * credentials decoded per RFC 6749 §2.3.1 with a marked raw fallback, and the WARNING setting
 * that accepts openid without nonce.
 * @see docs/whop-reference.md §2.2, §6 items 4, 5, 7
 */
import t from 'tap'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { confidentialApp, defaults } from './helpers/fixtures.js'
import { codeFor, currentAuthorizeQuery, exchangeCurrent, getNoFollow, pkce } from './helpers/oauth.js'

const CUSTOM = 'com.Example.App://oauth/callback'
const SECRET = 'se+cr/et%2Bwith=odd&chars-0123456789'

function fixturesWithOddApp() {
  const fixtures = structuredClone(defaults)
  fixtures.apps.push({
    id: 'app_InteropApp0000X',
    name: 'Interop',
    company_id: fixtures.companies[0]!.id,
    client_type: 'confidential',
    client_secret: SECRET,
    redirect_uris: [CUSTOM],
  })
  return fixtures
}

t.test('a custom-scheme redirect URI keeps its case in the redirect', async (t) => {
  const mock = await startMock(t, { fixtures: fixturesWithOddApp(), autoApprove: true })
  const query = currentAuthorizeQuery({ clientId: 'app_InteropApp0000X', redirectUri: CUSTOM, state: 'st' })
  const res = await getNoFollow(`${mock.url}/oauth/authorize?${query}`)
  t.equal(res.status, 302)
  t.match(String(res.headers.location), /^com\.Example\.App:\/\/oauth\/callback\?code=[\w-]+&state=st$/)
  const lower = await getNoFollow(
    `${mock.url}/oauth/authorize?${currentAuthorizeQuery({ clientId: 'app_InteropApp0000X', redirectUri: CUSTOM.toLowerCase() })}`,
  )
  t.equal(lower.status, 400, 'and is compared byte for byte')
})

t.test('Basic credentials: form-encoded per RFC 6749 §2.3.1, or raw as requests sends them (marked in the journal)', async (t) => {
  const mock = await startMock(t, { fixtures: fixturesWithOddApp(), autoApprove: true })
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
  const exchange = async (authorization: string) => {
    const verifier = pkce()
    const code = await codeFor(mock.url, { clientId: 'app_InteropApp0000X', redirectUri: CUSTOM, pkce: verifier })
    return exchangeCurrent(
      mock.url,
      { grant_type: 'authorization_code', code, redirect_uri: CUSTOM, code_verifier: verifier.verifier },
      'form',
      { authorization },
    )
  }
  const encoded = await exchange(basic('app_InteropApp0000X', encodeURIComponent(SECRET)))
  t.equal(encoded.status, 200, 'form-encoded')
  const raw = await exchange(basic('app_InteropApp0000X', SECRET))
  t.equal(raw.status, 200, 'raw')
  const notes = (await mock.context.journal.entries({ path: '/oauth/token' })).map((e) => e.note)
  t.same(notes, [null, 'basic credentials accepted raw (not form-urlencoded as RFC 6749 §2.3.1 says)'])
  const wrong = await exchange(basic('app_InteropApp0000X', 'wrong%'))
  t.equal(wrong.status, 401)
  const fixtureApp = await exchangeCurrent(mock.url, { grant_type: 'authorization_code', code: 'x', redirect_uri: 'x' }, 'form', {
    authorization: basic(confidentialApp.id, 'nope'),
  })
  t.equal(fixtureApp.status, 401, 'a wrong secret is still refused')
})

t.test('openid without nonce: refused by default; the WARNING setting accepts it and journals it', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const query = () => currentAuthorizeQuery({ nonce: null })
  t.equal((await getNoFollow(`${mock.url}/oauth/authorize?${query()}`)).location!.searchParams.get('error'), 'invalid_request')
  const set = await call('POST', `${mock.url}/_mock/settings`, { json: { allow_openid_without_nonce: true } })
  t.equal(set.body.allow_openid_without_nonce, true)
  const res = await getNoFollow(`${mock.url}/oauth/authorize?${query()}`)
  t.ok(res.location!.searchParams.get('code'))
  t.match((await mock.context.journal.entries({ path: '/oauth/authorize' })).at(-1)?.note, /openid without nonce allowed/)
  const byOption = await startMock(t, { autoApprove: true, allowOpenidWithoutNonce: true })
  t.ok((await getNoFollow(`${byOption.url}/oauth/authorize?${query()}`)).location!.searchParams.get('code'), 'library option')
})
