/**
 * The sample integration the conformance suite is proven against: a plain node:http app.
 * Environment: PORT, WHOP_BASE_URL and WHOP_API_KEY (read by @whop/sdk), DEFECT (./defects.js),
 * TOKEN_CACHE. Run the suite: whop-auth-mock conformance --config conformance.json
 */
import { createServer } from 'node:http'
import { signedInUser } from './demo-users.js'
import { chatTokenRoute } from './token-route.js'

/**
 * "METHOD /path" → handler(user, send, req). Sign in with Whop adds its routes here (the start
 * of sign-in and the OAuth callback), and the conformance config gains an `oauth` section.
 */
const ROUTES = {
  'GET /': (_user, send) => send(200, { status: 'ok' }),
  'POST /api/chat/token': chatTokenRoute,
}

const server = createServer((req, res) => {
  const send = (status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
    res.end(JSON.stringify(body))
  }
  const path = new URL(req.url ?? '/', 'http://app.invalid').pathname
  const route = ROUTES[`${req.method} ${path}`]
  if (route === undefined) return send(404, { error: 'Not found.' })
  // Drain any request body; no route here reads one.
  req.resume()
  req.on('end', () => {
    Promise.resolve(route(signedInUser(req), send, req)).catch((error) => {
      console.error(`unexpected error: ${error.name}`)
      if (!res.headersSent) send(500, { error: 'Something went wrong.' })
    })
  })
})

server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`sample app on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}${process.env.DEFECT ? ` with defect ${process.env.DEFECT}` : ''}`)
})
