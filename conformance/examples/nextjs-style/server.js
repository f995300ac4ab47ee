/**
 * A Next.js-style app, written as plain node:http: an identity-only "Sign in with Whop" as
 * Next.js starters wire it, with the shapes that used to trip the suite. Cookies are Secure
 * (production mode), the callback reads the user once and keeps the app's own session (not
 * Whop's tokens), and after sign-in it redirects to http://localhost:PORT/ even when it was
 * reached as 127.0.0.1, as Next.js does with request.nextUrl in development.
 *   GET /api/auth/login      start: state, PKCE verifier and nonce in cookies, redirect to Whop
 *   GET /api/auth/callback   finish: check state, exchange, read userinfo, start a session
 *   GET /api/me              the session's user (JSON); 401 when nobody is signed in
 * When Whop fails (an error, an HTML page, no answer within WHOP_TIMEOUT_MS), the browser gets the
 * app's own 400 answer: nobody is signed in, and Whop's answer is never shown.
 * Environment: PORT, HOST, WHOP_MOCK_URL, WHOP_APP_ID, WHOP_CLIENT_SECRET, WHOP_TIMEOUT_MS (default
 * 3000), DEFECT (./defects.js).
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { has } from './defects.js'
import { authorizeUrl, exchange, userInfo } from './whop-oauth.js'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 3200)
const appUrl = `http://${host}:${port}`
const publicUrl = `http://localhost:${port}`
const redirectUri = `${appUrl}/api/auth/callback`

/** Session id → the user; a real app keeps these in a store. */
const sessions = new Map()
const PENDING = ['whop_state', 'whop_verifier', 'whop_nonce']

function cookies(req) {
  const out = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim())
  }
  return out
}
const setCookie = (name, value, maxAge) => `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAge}`
const clearPending = () => PENDING.map((name) => setCookie(name, '', 0))

function newSession(user) {
  const id = randomBytes(24).toString('base64url')
  sessions.set(id, user)
  return setCookie('session', id, 60 * 60 * 24)
}

const FAILED = 'Sign-in with Whop failed. Start again.'

async function login() {
  let started
  try {
    started = await authorizeUrl(redirectUri)
  } catch (error) {
    // Whop's discovery failed or gave no answer in time: the app's own page, never Whop's answer.
    console.error(`sign-in start failed: ${error.code ?? error.name}`)
    return { status: 400, body: { error: FAILED } }
  }
  const { url, pending } = started
  const set = [
    setCookie('whop_state', pending.state, 600),
    setCookie('whop_verifier', pending.verifier, 600),
    setCookie('whop_nonce', pending.nonce, 600),
  ]
  return { status: 307, headers: { location: url.href, 'set-cookie': set } }
}

async function callback(req) {
  const jar = cookies(req)
  const url = new URL(req.url, appUrl)
  const failed = (message) => ({ status: 400, headers: { 'set-cookie': clearPending() }, body: { error: message } })
  if (url.searchParams.has('error')) return failed('Sign-in with Whop was cancelled.')
  if (jar.whop_verifier === undefined) return failed('No sign-in is in progress. Start again.')
  const early = has('session-before-exchange') ? newSession({ id: 'pending' }) : null
  let signedIn
  try {
    const { accessToken, claims } = await exchange(url, redirectUri, {
      state: jar.whop_state,
      verifier: jar.whop_verifier,
      nonce: jar.whop_nonce,
    })
    const user = has('id-token-only') ? claims : await userInfo(accessToken, claims.sub)
    signedIn = { cookie: newSession({ id: user.sub, username: user.preferred_username }), accessToken }
  } catch (error) {
    console.error(`sign-in failed: ${error.code ?? error.name}`)
    return early === null ? failed(FAILED) : { status: 400, headers: { 'set-cookie': [early] }, body: {} }
  }
  const location = has('token-in-url') ? `${publicUrl}/?token=${encodeURIComponent(signedIn.accessToken)}` : `${publicUrl}/`
  return { status: 307, headers: { location, 'set-cookie': [...clearPending(), signedIn.cookie] } }
}

function me(req) {
  const user = sessions.get(cookies(req).session ?? '')
  return user === undefined ? { status: 401, body: { error: 'Not signed in.' } } : { status: 200, body: user }
}

const ROUTES = {
  '/': async () => ({ status: 200, body: { page: 'home' } }),
  '/api/auth/login': login,
  '/api/auth/callback': callback,
  '/api/me': async (req) => me(req),
}

createServer((req, res) => {
  const route = req.method === 'GET' ? ROUTES[new URL(req.url ?? '/', appUrl).pathname] : undefined
  const answer = route === undefined ? Promise.resolve({ status: 404, body: { error: 'Not found.' } }) : route(req)
  answer
    .catch((error) => {
      console.error(`unexpected error: ${error.name}`)
      return { status: 500, body: { error: 'Something went wrong.' } }
    })
    .then(({ status, headers = {}, body = {} }) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
      res.end(JSON.stringify(body))
    })
}).listen(port, host, () => console.log(`Next.js-style app on ${appUrl}${process.env.DEFECT ? ` with defect ${process.env.DEFECT}` : ''}`))
