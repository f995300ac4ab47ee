/**
 * Sign in with Whop, the current flow, with openid-client (a standard OAuth client) as Whop's
 * OAuth guide describes it [D D-OAUTH]: PKCE S256, state and nonce kept on the server, the code
 * exchanged once with the app's secret, the user read with their token, and the access token
 * refreshed (rotation: keep the new refresh token) when Whop answers 401.
 *   GET /auth/whop            start: redirect to Whop's authorize page
 *   GET /auth/whop/callback   finish: check state, exchange the code, start a session
 *   GET /me                   the signed-in user, read from Whop; 401 when nobody is signed in
 * When Whop fails (an error, an HTML page, no answer within WHOP_TIMEOUT_MS), the browser gets
 * the app's own 400 page: nobody is signed in, and Whop's answer is never shown.
 * Environment: WHOP_APP_ID, WHOP_CLIENT_SECRET, WHOP_MOCK_URL (the issuer; default Whop's own),
 * APP_URL (default http://HOST:PORT), WHOP_TIMEOUT_MS (default 3000). The id_token's signature is
 * checked against Whop's JWKS; ID_TOKEN_SIGNATURE=tls-only skips that, as openid-client does by
 * default and OpenID Connect allows for a token that came straight from Whop's token endpoint.
 */
import { randomBytes } from 'node:crypto'
import * as oidc from 'openid-client'
import { cookie } from './demo-users.js'
import { has } from './defects.js'
import { exchangeUnchecked, readUserUnchecked } from './unchecked.js'

const appUrl = process.env.APP_URL ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 3100}`
const redirectUri = `${appUrl}/auth/whop/callback`
const SCOPE = 'openid profile email'
const SESSION_COOKIE = 'sample_session'
const FAILED = 'Sign-in with Whop failed. Start again.'
/** A person waits on every call to Whop: give up after this long. */
const whopTimeoutSeconds = has('no-whop-timeout') ? 30 : Number(process.env.WHOP_TIMEOUT_MS ?? 3000) / 1000

/** Session id → { pending: {state, nonce, verifier}, sub, tokens: {access, refresh}, signedIn }. A real app keeps these in a store. */
const sessions = new Map()
/** Only for DEFECT=remembers-codes: code → the session it made. */
const rememberedCodes = new Map()

let discovered
/** Whop's OAuth configuration, read once from discovery; null when the app has no Whop app id. */
function whop() {
  if (!process.env.WHOP_APP_ID) return null
  discovered ??= oidc
    .discovery(
      new URL(process.env.WHOP_MOCK_URL ?? 'https://api.whop.com'),
      process.env.WHOP_APP_ID,
      { id_token_signed_response_alg: 'ES256' },
      oidc.ClientSecretPost(process.env.WHOP_CLIENT_SECRET),
      {
        execute: [
          // The mock serves plain http; Whop itself is https only.
          ...(process.env.WHOP_MOCK_URL?.startsWith('http:') ? [oidc.allowInsecureRequests] : []),
          ...(process.env.ID_TOKEN_SIGNATURE === 'tls-only' ? [] : [oidc.enableNonRepudiationChecks]),
        ],
        timeout: whopTimeoutSeconds,
      },
    )
    .catch((error) => {
      discovered = undefined
      throw error
    })
  return discovered
}

/** Whop's configuration; null once the browser has been answered (no app id, or discovery failed). */
async function whopOr(send) {
  if (!process.env.WHOP_APP_ID) {
    send(503, { error: 'Sign in with Whop is not configured.' })
    return null
  }
  try {
    return await whop()
  } catch (error) {
    return failed(send, 'discovery', error)
  }
}

/** Whop failed or refused: logged on the server only; the browser learns that sign-in failed, not Whop's answer. */
function failed(send, step, error) {
  console.error(`sign-in: ${step} failed (${error.code ?? error.status ?? error.name})`)
  if (has('crashes-on-whop-error')) throw error
  send(400, { error: FAILED })
  return null
}

/** Where to send the browser after sign-in: a path of this app from `next`, never another origin. */
function returnTo(req) {
  const form = req.method === 'POST' ? new URLSearchParams(req.bodyText) : new URL(req.url, appUrl).searchParams
  const next = form.get('next')
  if (next === null) return '/welcome'
  if (has('open-redirect')) return next
  return next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/welcome'
}

const newId = () => randomBytes(24).toString('base64url')
// COOKIES=production: Secure, an hour's Max-Age, as frameworks set them in production mode;
// browsers send Secure cookies to http://localhost and http://127.0.0.1, which are secure contexts.
const production = process.env.COOKIES === 'production'
const sessionCookie = (id) => `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${production ? '; Secure; Max-Age=3600' : ''}`

function sessionOf(req) {
  const id = cookie(req, SESSION_COOKIE)
  return id !== undefined && sessions.has(id) ? { id, session: sessions.get(id) } : null
}

/** A fresh session id for a browser that just signed in, so an id set before sign-in is worth nothing after. */
function signedInSession(send, previousId, session, location) {
  if (previousId !== undefined) sessions.delete(previousId)
  const id = newId()
  sessions.set(id, session)
  return send(302, {}, { location, 'set-cookie': sessionCookie(id) })
}

// START=post-csrf: GET /auth/csrf gives a token (also in a cookie); POST /auth/whop must carry it.
const postStart = process.env.START === 'post-csrf'
const CSRF_COOKIE = 'sample_csrf'

export function csrfToken(_user, send) {
  if (!postStart) return send(404, { error: 'Not found.' })
  const token = newId()
  return send(200, { csrfToken: token }, { 'set-cookie': `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax` })
}

function startRefused(req) {
  if (!postStart) return req.method === 'GET' ? null : 'Not found.'
  if (req.method !== 'POST') return 'Start sign-in with the button.'
  const token = new URLSearchParams(req.bodyText).get('csrfToken')
  return token !== null && token === cookie(req, CSRF_COOKIE) ? null : 'The sign-in form expired. Reload the page.'
}

export async function startSignIn(_user, send, req) {
  const config = await whopOr(send)
  if (config === null) return
  const refused = startRefused(req)
  if (refused !== null) return send(postStart && req.method === 'POST' ? 403 : 405, { error: refused })
  const found = sessionOf(req)
  const id = found?.id ?? newId()
  const verifier = oidc.randomPKCECodeVerifier()
  const state = has('static-state') ? 'sign-in-with-whop' : oidc.randomState()
  const pending = { state, nonce: oidc.randomNonce(), verifier, next: returnTo(req) }
  sessions.set(id, { ...found?.session, pending })
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(has('secret-in-redirect') && { client_secret: process.env.WHOP_CLIENT_SECRET }),
  })
  return send(302, {}, { location: url.href, 'set-cookie': sessionCookie(id) })
}

export async function finishSignIn(_user, send, req) {
  const config = await whopOr(send)
  if (config === null) return
  const url = new URL(req.url, appUrl)
  const code = url.searchParams.get('code')
  if (has('remembers-codes') && rememberedCodes.has(code))
    return signedInSession(send, undefined, { ...rememberedCodes.get(code) }, '/welcome')
  const found = sessionOf(req)
  const pending = found?.session.pending
  if (url.searchParams.has('error')) {
    if (has('5xx-on-access-denied')) throw new Error(`sign-in failed: ${url.searchParams.get('error')}`)
    if (pending !== undefined) delete found.session.pending
    return send(400, { error: 'Sign-in with Whop did not happen.' })
  }
  if (pending === undefined) return send(400, { error: 'No sign-in is in progress in this browser. Start again.' })
  if (!has('no-state-check') && url.searchParams.get('state') !== pending.state)
    return send(400, { error: 'This sign-in link is not from this browser. Start again.' })
  // A state is good for one callback: a second visit finds nothing to continue.
  if (!has('state-reusable')) delete found.session.pending
  if (has('signs-in-without-token')) found.session.signedIn = true
  const checks = {
    pkceCodeVerifier: pending.verifier,
    expectedState: has('no-state-check') ? oidc.skipStateCheck : pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  }
  let tokens
  try {
    // openid-client checks the id_token: iss, aud, exp, nonce, and its alg against ES256.
    tokens = has('trusts-id-token')
      ? await exchangeUnchecked(config, url, pending, redirectUri)
      : await oidc.authorizationCodeGrant(config, url, checks)
    if (has('code-exchanged-twice')) await oidc.authorizationCodeGrant(config, url, checks).catch(() => {})
  } catch (error) {
    return failed(send, 'the code exchange', error)
  }
  if (has('sign-in-broken')) return send(200, { welcome: 'You are signed in.' })
  const sub = tokens.claims().sub
  // SESSION=identity-only: read the user once, here, and keep only the app's own session.
  if (identityOnly) {
    let user
    try {
      // The third argument: userinfo must name the id_token's subject.
      user = await oidc.fetchUserInfo(config, tokens.access_token, has('trusts-userinfo-sub') ? oidc.skipSubjectCheck : sub)
    } catch (error) {
      return failed(send, 'reading the user', error)
    }
    return signedInSession(send, found.id, { sub: user.sub, user: { id: user.sub, username: user.preferred_username } }, pending.next)
  }
  const session = { sub, tokens: { access: tokens.access_token, refresh: tokens.refresh_token } }
  if (has('state-reusable')) session.pending = pending
  if (has('remembers-codes')) rememberedCodes.set(code, session)
  if (has('token-in-page')) return tokenPage(send, found.id, session)
  const location = has('token-in-url') ? `/welcome?access_token=${encodeURIComponent(tokens.access_token)}` : pending.next
  return signedInSession(send, found.id, session, location)
}

/** DEFECT=token-in-page: the callback answers a page that hands the access token to the page's script. */
function tokenPage(send, previousId, session) {
  sessions.delete(previousId)
  const id = newId()
  sessions.set(id, session)
  const html = `<!doctype html><title>Signed in</title><script>sessionStorage.setItem('whop', '${session.tokens.access}')</script>`
  return send(200, html, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': sessionCookie(id) })
}

/**
 * The user from Whop's userinfo; on 401, refresh once and retry. An expired access token gets
 * 401 [I, reference §6 item 9]. Whop's browser sample refreshes 5 minutes early by its own clock
 * [D D-OAUTH]; the 401 also covers a clock that is wrong, or a token that died early.
 */
async function userInfo(config, session) {
  const subject = has('trusts-userinfo-sub') ? oidc.skipSubjectCheck : session.sub
  try {
    return await oidc.fetchUserInfo(config, session.tokens.access, subject)
  } catch (error) {
    if (error.status !== 401 || has('no-refresh')) throw error
  }
  const refreshed = await refreshOnce(config, session.tokens.refresh)
  // Refresh tokens rotate: the one just used is dead, the new one is the only one that works.
  const refresh = has('reuses-old-refresh-token') ? session.tokens.refresh : (refreshed.refresh_token ?? session.tokens.refresh)
  session.tokens = { access: refreshed.access_token, refresh }
  return oidc.fetchUserInfo(config, session.tokens.access, subject)
}

/** One refresh; a refused one (invalid_grant) ends the session. DEFECT=retries-refused-refresh tries again and again, then crashes. */
async function refreshOnce(config, refreshToken) {
  if (!has('retries-refused-refresh')) return oidc.refreshTokenGrant(config, refreshToken)
  for (let attempt = 1; ; attempt++) {
    try {
      return await oidc.refreshTokenGrant(config, refreshToken)
    } catch (error) {
      if (attempt === 5) throw Object.assign(error, { crash: true })
    }
  }
}

export async function profile(_user, send, req) {
  const session = sessionOf(req)?.session
  if (session?.user !== undefined) return send(200, session.user)
  if (session?.tokens === undefined) {
    if (has('signs-in-without-token') && session?.signedIn) return send(200, { signed_in: true })
    // PROFILE=always-200: a page that answers 200 whether signed in or not.
    return process.env.PROFILE === 'always-200' ? send(200, { page: 'Authentication Failed' }) : send(401, { error: 'Sign in first.' })
  }
  const config = await whopOr(send)
  if (config === null) return
  // DEFECT=shows-whop-error: Whop's answer, whatever it is but a 401, becomes the profile (as a guide's snippet does).
  const shown = has('shows-whop-error') ? await readUserUnchecked(config, session.tokens.access).catch(() => null) : null
  if (shown !== null && shown.status !== 401) return send(200, shown.body)
  try {
    const user = await userInfo(config, session)
    return send(200, { id: user.sub, username: user.preferred_username, name: user.name })
  } catch (error) {
    console.error(`profile: reading the user failed (${error.status ?? error.code ?? error.name})`)
    if (error.crash) throw error
    delete session.tokens
    return send(401, { error: 'Your Whop session ended. Sign in again.' })
  }
}

const identityOnly = process.env.SESSION === 'identity-only'

export const welcome = (_user, send) => send(200, { welcome: true })
