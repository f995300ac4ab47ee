/**
 * The sample integration the conformance suite is proven against: a plain node:http app.
 * Environment: PORT, WHOP_BASE_URL and WHOP_API_KEY (read by @whop/sdk), WHOP_APP_ID,
 * WHOP_CLIENT_SECRET and WHOP_MOCK_URL (sign-in), DEFECT (./defects.js), TOKEN_CACHE and TOKEN_REQUEST (./token-route.js), COOKIES, START, PROFILE, SESSION and ID_TOKEN_SIGNATURE (./sign-in.js), WHOP_TIMEOUT_MS (both). Run the suite: whop-auth-mock conformance --config conformance.json
 */
import { createServer } from 'node:http'
import { signedInUser } from './demo-users.js'
import { csrfToken, finishSignIn, profile, startSignIn, welcome } from './sign-in.js'
import { chatTokenRoute } from './token-route.js'

/** "METHOD /path" → handler(user, send, req). */
const ROUTES = {
  'GET /': (_user, send) => send(200, { status: 'ok' }),
  'POST /api/chat/token': chatTokenRoute,
  // Sign in with Whop (./sign-in.js), checked by the config's `oauth` section.
  'GET /auth/whop': startSignIn,
  // START=post-csrf: sign-in starts by a POST carrying a CSRF token, as Auth.js starts it.
  'GET /auth/csrf': csrfToken,
  'POST /auth/whop': startSignIn,
  'GET /auth/whop/callback': finishSignIn,
  'GET /me': profile,
  'GET /welcome': welcome,
}

const server = createServer((req, res) => {
  const send = (status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
    res.end(JSON.stringify(body))
  }
  const path = new URL(req.url ?? '/', 'http://app.invalid').pathname
  const route = ROUTES[`${req.method} ${path}`]
  if (route === undefined) return send(404, { error: 'Not found.' })
  // Read the body (small: a form or a JSON object); routes find it as req.bodyText.
  let bodyText = ''
  req.on('data', (chunk) => {
    if (bodyText.length < 10_000) bodyText += chunk.toString('utf8')
  })
  req.on('end', () => {
    req.bodyText = bodyText
    Promise.resolve(route(signedInUser(req), send, req)).catch((error) => {
      console.error(`unexpected error: ${error.name}`)
      if (!res.headersSent) send(500, { error: 'Something went wrong.' })
    })
  })
})

server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1', () => {
  console.log(
    `sample app on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}${process.env.DEFECT ? ` with defect ${process.env.DEFECT}` : ''}`,
  )
})
