/**
 * POST /api/chat/token: mint a Whop access token for the signed-in user, on the server, with
 * @whop/sdk, as docs.whop.com's chat guide shows [D S1], plus what the guide leaves out:
 * derive the user from the session, and fail without leaking the key or Whop's error.
 */
import Whop from '@whop/sdk'
import { DEMO_USERS } from './demo-users.js'
import { has } from './defects.js'

/** The chat scopes the docs list [D S1]: ask for them explicitly, never inherit the key's. */
const CHAT_ACTIONS = [
  'chat:message:create',
  'chat:read',
  'dms:read',
  'dms:message:manage',
  'dms:channel:manage',
  'support_chat:read',
  'support_chat:message:create',
]

// WHOP_API_KEY and WHOP_BASE_URL come from the environment. A person waits on this route, and
// the chat elements call getToken again when it fails [D S1]; the SDK's default retries would
// wait out a 429's Retry-After with no upper bound, so the route fails fast instead, and gives up
// on a Whop that does not answer within WHOP_TIMEOUT_MS (default 3000; the SDK's own is 60 s).
const timeout = Number(process.env.WHOP_TIMEOUT_MS ?? 3000)
const client = new Whop(has('sdk-default-retries') ? {} : { maxRetries: 0, ...(!has('no-whop-timeout') && { timeout }) })

/** Whop's docs: mint on demand rather than caching [D D-SCOPE]. TOKEN_CACHE=until-expiry is a fair alternative. */
const cacheUntilExpiry = process.env.TOKEN_CACHE === 'until-expiry'
const cache = new Map()

async function mint(user) {
  const whopUser = has('wrong-user') ? DEMO_USERS.jane : user
  const params = { company_id: user.companyId, user_id: whopUser.userId, scoped_actions: CHAT_ACTIONS }
  if (has('no-scoped-actions')) delete params.scoped_actions
  if (!has('retry-4xx')) return client.accessTokens.create(params)
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.accessTokens.create(params)
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

async function tokenFor(user) {
  const cached = cache.get(user.userId)
  if (cached !== undefined && has('cache-forever')) return cached
  // The machine clock is the app's only clock; a minute's margin covers the trip to the browser.
  if (cached !== undefined && cacheUntilExpiry && Date.parse(cached.expires_at) - 60_000 > Date.now()) return cached
  const minted = await mint(user)
  // Whop's answer must carry a token; anything else is a failed mint, never a 200 for the browser.
  if (typeof minted?.token !== 'string' && !has('passes-empty-token')) throw new Error('Whop answered without a token')
  if (cacheUntilExpiry || has('cache-forever')) cache.set(user.userId, minted)
  return minted
}

/** The answer to a failed mint: the app's own words, never Whop's body or the key. */
function errorAnswer(error) {
  const status = error instanceof Whop.APIError ? error.status : undefined
  // Logged on the server only; err.message would carry Whop's whole error body.
  console.error(`chat token: mint failed (${status ?? error.name})`)
  if (has('forward-upstream-body') && status !== undefined) return { status, headers: {}, body: error.error }
  if (has('key-in-error'))
    return { status: 502, headers: {}, body: { error: `could not mint a chat token with key ${process.env.WHOP_API_KEY}` } }
  if (status === 429)
    return {
      status: 503,
      headers: { 'retry-after': error.headers?.get('retry-after') ?? '60' },
      body: { error: 'Chat is busy; try again shortly.' },
    }
  return { status: 502, headers: {}, body: { error: 'Could not get a chat token.' } }
}

function jsonUserId(req) {
  try {
    return JSON.parse(req.bodyText).userId
  } catch {
    return undefined
  }
}

export async function chatTokenRoute(user, send, req) {
  const caller = user ?? (has('no-sign-in-check') ? { name: 'jane', ...DEMO_USERS.jane } : null)
  if (caller === null || has('mints-for-nobody')) return send(401, { error: 'Sign in first.' })
  // TOKEN_REQUEST=json: the client names its Whop user in a JSON body, as Whop's chat elements do; the session decides.
  if (process.env.TOKEN_REQUEST === 'json' && jsonUserId(req) !== caller.userId) return send(400, { error: 'userId is not you.' })
  try {
    const { token } = await tokenFor(caller)
    return send(200, { token }, has('key-in-header') ? { 'x-whop-api-key': process.env.WHOP_API_KEY } : {})
  } catch (error) {
    const answer = errorAnswer(error)
    return send(answer.status, answer.body, answer.headers)
  }
}
