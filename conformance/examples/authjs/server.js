/**
 * An Auth.js app on node:http: Auth.js answers everything under /api/auth (its csrf, signin,
 * callback and session routes), and sign-in starts the way Auth.js starts it, by a POST to
 * /api/auth/signin/whop carrying the token from /api/auth/csrf.
 *   GET /me           the session's user, read through Auth.js; 401 when nobody is signed in
 *   GET /auth/error   where Auth.js sends the browser when sign-in fails (its pages.error)
 * Environment: PORT, HOST, AUTH_SECRET, WHOP_MOCK_URL, WHOP_APP_ID, WHOP_CLIENT_SECRET, WHOP_TIMEOUT_MS, DEFECT.
 */
import { createServer } from 'node:http'
import { Auth } from '@auth/core'
import { authConfig } from './auth.js'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 3500)
const origin = `http://${host}:${port}`
const MAX_BODY = 16_384

/** node:http's request as the Web Request Auth.js takes. */
async function webRequest(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw new RangeError('body too large')
    chunks.push(chunk)
  }
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks)
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body })
}

async function send(res, response) {
  const headers = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  res.writeHead(response.status, headers)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/** The signed-in user from Auth.js's session route. */
async function me(req) {
  const session = await Auth(new Request(`${origin}/api/auth/session`, { headers: { cookie: req.headers.cookie ?? '' } }), authConfig)
  const body = await session.json()
  return body?.user?.id === undefined ? Response.json({ error: 'Sign in first.' }, { status: 401 }) : Response.json(body.user)
}

async function answer(req) {
  const path = new URL(req.url ?? '/', origin).pathname
  if (path.startsWith('/api/auth/')) return Auth(await webRequest(req), authConfig)
  if (req.method === 'GET' && path === '/me') return me(req)
  if (req.method === 'GET' && path === '/auth/error')
    return Response.json({ error: 'Sign-in with Whop failed. Start again.' }, { status: 400 })
  if (req.method === 'GET' && path === '/') return Response.json({ status: 'ok' })
  return Response.json({ error: 'Not found.' }, { status: 404 })
}

createServer((req, res) => {
  answer(req)
    .catch((error) => {
      console.error(`unexpected error: ${error.name}`)
      return Response.json({ error: 'Something went wrong.' }, { status: 500 })
    })
    .then((response) => send(res, response))
}).listen(port, host, () => console.log(`Auth.js app on ${origin}${process.env.DEFECT ? ` with defect ${process.env.DEFECT}` : ''}`))
