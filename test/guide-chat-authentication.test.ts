/**
 * The embedded-chat "Authentication" guide (seed 001), walked end to end with @whop/sdk 0.0.42
 * unmodified: create an app, sign a user in through it (PKCE, id_token checked), create a
 * connected account, give it a company-specific name and uploaded picture, mint a chat token
 * with the seven chat actions, and verify that token against the JWKS.
 * @see docs/whop-reference.md §10, §2.2, §2.1 [D S1]
 */
import t from 'tap'
import Whop, { toFile } from '@whop/sdk'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { acme, companyKey, sam } from './helpers/fixtures.js'
import { currentAuthorizeQuery, exchangeCurrent, getNoFollow, pkce, random22 } from './helpers/oauth.js'

const CHAT_ACTIONS = [
  'chat:message:create',
  'chat:read',
  'dms:read',
  'dms:message:manage',
  'dms:channel:manage',
  'support_chat:read',
  'support_chat:message:create',
]

/** The sign-in page as a person uses it: read the form, choose the user, approve. */
async function signInThroughPage(mockUrl: string, query: URLSearchParams, userId: string): Promise<URL> {
  const page = await getNoFollow(`${mockUrl}/oauth/authorize?${query}`)
  if (page.status !== 200) throw new Error(`no sign-in page: ${page.status}`)
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)![1]!
  const cookie = String(page.headers['set-cookie']).split(';')[0]!
  const answer = await call('POST', `${mockUrl}/oauth/authorize`, {
    headers: { cookie },
    form: { transaction: field('transaction'), csrf: field('csrf'), decision: 'approve', user_id: userId },
  })
  return new URL(String(answer.headers.location))
}

t.test('the chat Authentication guide, step by step, with @whop/sdk', async (t) => {
  const mock = await startMock(t)
  const whop = new Whop({ apiKey: companyKey.key, baseURL: `${mock.url}/api/v1`, maxRetries: 0 })
  const jwks = createRemoteJWKSet(new URL(`${mock.url}/.well-known/jwks.json`))

  // OAuth setup through the API, as the guide's code does (no company_id: the key's company).
  const redirectUri = 'http://localhost:3000/api/auth/callback/whop'
  const app = await whop.apps.create({ name: 'My App', redirect_uris: [redirectUri, 'https://myapp.com/api/auth/callback/whop'] } as never)
  const clientSecret = (app as unknown as { client_secret: string }).client_secret
  t.match(app.id, /^app_/, 'console.log(app.id)')
  t.ok(clientSecret, 'console.log(app.client_secret)')

  // A user signs in through the new app: PKCE, nonce, the guide's scopes.
  const verifier = pkce()
  const nonce = random22()
  const state = random22()
  const scope = ['openid', 'profile', 'email', ...CHAT_ACTIONS].join(' ')
  const query = currentAuthorizeQuery({ clientId: app.id, redirectUri, scope, state, nonce, pkce: verifier, loginHint: null })
  const back = await signInThroughPage(mock.url, query, sam.id)
  t.equal(back.searchParams.get('state'), state)
  const tokens = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code: back.searchParams.get('code')!,
    redirect_uri: redirectUri,
    client_id: app.id,
    client_secret: clientSecret,
    code_verifier: verifier.verifier,
  })
  t.equal(tokens.status, 200)
  const idToken = await jwtVerify(String(tokens.body.id_token), jwks, {
    issuer: mock.context.issuer,
    audience: app.id,
    algorithms: ['ES256'],
  })
  t.match(idToken.payload, { sub: sam.id, nonce }, 'the id_token names the user and carries the nonce')

  // Sync your users: a connected account, saved user id.
  const company = await whop.companies.create({
    email: 'user@example.com',
    parent_company_id: acme.id,
    title: 'Jane Doe',
    metadata: { internal_user_id: 'user_12345' },
  })
  const userId = company.owner_user.id

  // A company-specific name and an uploaded profile picture.
  const avatar = await whop.files.upload(await toFile(Buffer.from('avatar bytes'), 'avatar.png', { type: 'image/png' }))
  const profile = await whop.users.update(userId, { account_id: acme.id, name: 'Jane (Acme)', profile_picture: { id: avatar.id } })
  t.match(profile, { id: userId, name: 'Jane (Acme)', profile_picture: { url: avatar.url } })

  // The token endpoint: a chat token for that user with the seven chat actions.
  const { token } = await whop.accessTokens.create({ company_id: acme.id, user_id: userId, scoped_actions: CHAT_ACTIONS })
  const verified = await jwtVerify(token, jwks, { algorithms: ['ES256'] })
  t.match(verified.payload, { sub: userId, user_id: userId, company_id: acme.id })
  t.same(verified.payload.scoped_actions, CHAT_ACTIONS)
})
