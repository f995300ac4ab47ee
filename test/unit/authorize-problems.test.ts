/**
 * The start case's URL check: response_type=code is required on the current page, and on the
 * legacy page only judged when sent (Whop's v5 guide sends none, and the page accepts that).
 */
import t from 'tap'
import { authorizeProblems } from '../../src/conformance/judge-oauth.js'
import type { OAuthKnown } from '../../src/conformance/known.js'

const MOCK = 'http://127.0.0.1:4010'
const known = (flow: OAuthKnown['flow'], authorize: string): OAuthKnown => ({
  flow,
  paths: { authorize: [authorize], token: [], userReads: [] },
  clientId: 'app_x',
  clientType: 'confidential',
  clientSecret: null,
  appApiKeys: [],
  redirectUri: 'http://127.0.0.1:3000/cb',
  userId: 'user_x',
  scope: [],
  mockUrl: MOCK,
  startPath: '/login',
  profilePath: '/me',
  start: { method: 'GET', csrf: null, form: {} },
  signedIn: { status: null, bodyIncludes: null, bodyExcludes: null, cookie: null },
  keepsTokens: true,
})
const url = (path: string, query: Record<string, string>) => new URL(`${MOCK}${path}?${new URLSearchParams(query)}`)
const base = { client_id: 'app_x', redirect_uri: 'http://127.0.0.1:3000/cb' }

t.test('the current page: response_type=code is required', async (t) => {
  t.same(authorizeProblems(url('/oauth/authorize', base), known('current-pkce', '/oauth/authorize')), ['response_type is (missing)'])
  t.same(authorizeProblems(url('/oauth/authorize', { ...base, response_type: 'code' }), known('current-pkce', '/oauth/authorize')), [])
})

t.test('the legacy page: no response_type is fine, a wrong one is not', async (t) => {
  t.same(authorizeProblems(url('/oauth', base), known('legacy-v5', '/oauth')), [])
  t.same(authorizeProblems(url('/oauth', { ...base, response_type: 'token' }), known('legacy-v5', '/oauth')), ['response_type is token'])
})
