// @ts-check
/**
 * The authorization-code round trip a client makes: GET authorize (answered with a 302 whose
 * Location carries the code), then POST the code and PKCE verifier to the token endpoint.
 * The mock and the peer differ only in the data of their FLOWS row.
 */
import { createHash, randomBytes } from 'node:crypto'
import { fixtures } from './fixtures.mjs'
import { must } from './must.mjs'

/** The fixtures' public app (PKCE alone, no secret) and the user its sign-ins pick. */
const publicApp = must(
  fixtures.apps.find((app) => app.client_type === 'public'),
  'a public fixture app',
)
const user = fixtures.users[0]

/**
 * @typedef {object} Flow
 * @property {string} authorizePath
 * @property {string} tokenPath
 * @property {'json' | 'form'} tokenEncoding
 * @property {string} clientId
 * @property {string} redirectUri
 * @property {string} scope
 * @property {Record<string, string>} extraAuthorize  further query parameters
 */

/**
 * A token endpoint's answer: an access token at least (checked), whatever else the server sends.
 * @typedef {{ access_token: string, [field: string]: unknown }} TokenResponse
 */

/** @type {Record<'mock' | 'peer', Flow>} */
export const FLOWS = {
  // The mock's documented API, served with --auto-approve: login_hint picks the fixture user.
  mock: {
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    tokenEncoding: 'json',
    clientId: publicApp.id,
    redirectUri: publicApp.redirect_uris[0],
    scope: 'openid profile',
    extraAuthorize: { login_hint: user.id },
  },
  // oauth2-mock-server 7: /authorize always redirects with a code; /token takes a form (express.urlencoded).
  peer: {
    authorizePath: '/authorize',
    tokenPath: '/token',
    tokenEncoding: 'form',
    clientId: 'bench-client',
    redirectUri: 'http://localhost:3000/callback',
    scope: 'openid profile',
    extraAuthorize: {},
  },
}

/** A step of the flow answered something other than what the flow needs. */
export class FlowError extends Error {
  /** @override */
  name = 'FlowError'
  /**
   * @param {'authorize' | 'token'} stage
   * @param {number} status
   * @param {string} detail
   */
  constructor(stage, status, detail) {
    super(`${stage} answered ${status}: ${detail.slice(0, 300)}`)
    this.stage = stage
    this.status = status
  }
}

/** @param {number} bytes */
const random = (bytes) => randomBytes(bytes).toString('base64url')

/**
 * One authorize request with a fresh state, nonce and S256 PKCE pair; resolves with the code.
 * @param {import('undici').Dispatcher} dispatcher
 * @param {Flow} flow
 */
export async function authorize(dispatcher, flow) {
  const verifier = random(32)
  const state = random(12)
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: flow.clientId,
    redirect_uri: flow.redirectUri,
    scope: flow.scope,
    state,
    nonce: random(12),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...flow.extraAuthorize,
  })
  const response = await dispatcher.request({ method: 'GET', path: `${flow.authorizePath}?${query}` })
  const text = await response.body.text()
  const location = response.headers.location
  if (response.statusCode !== 302 || typeof location !== 'string') throw new FlowError('authorize', response.statusCode, text)
  const params = new URL(location).searchParams
  const code = params.get('code')
  if (code === null || params.get('state') !== state)
    throw new FlowError('authorize', response.statusCode, `Location without code or with another state: ${location}`)
  return { code, verifier }
}

/**
 * Redeem a code; resolves with the parsed token response.
 * @param {import('undici').Dispatcher} dispatcher
 * @param {Flow} flow
 * @param {{ code: string, verifier: string }} grant
 * @returns {Promise<TokenResponse>}
 */
async function exchange(dispatcher, flow, grant) {
  const fields = {
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: flow.redirectUri,
    client_id: flow.clientId,
    code_verifier: grant.verifier,
  }
  const json = flow.tokenEncoding === 'json'
  const response = await dispatcher.request({
    method: 'POST',
    path: flow.tokenPath,
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  })
  const text = await response.body.text()
  if (response.statusCode !== 200) throw new FlowError('token', response.statusCode, text)
  /** @type {TokenResponse} */
  const tokens = JSON.parse(text)
  if (typeof tokens.access_token !== 'string') throw new FlowError('token', 200, `no access_token in ${text}`)
  return tokens
}

/**
 * authorize → token, as one client does it.
 * @param {import('undici').Dispatcher} dispatcher
 * @param {Flow} flow
 */
export async function roundTrip(dispatcher, flow) {
  return exchange(dispatcher, flow, await authorize(dispatcher, flow))
}
