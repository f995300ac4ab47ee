/**
 * A token route as Whop's embedded chat calls it: the chat's getToken POSTs JSON {"userId"} to
 * the app, and the app mints a Whop access token on its server with its `apik_` key. The body's
 * userId is only a claim: the app's own session says who the caller is, and a userId that is not
 * the caller's is refused.
 *   POST /api/chat/token   {"userId": "user_…"} → {"token": "…"}
 * Sign-in is a stand-in for the app's real sessions: the `session` cookie names one of SESSIONS.
 * Environment: PORT, HOST, WHOP_API_KEY, WHOP_BASE_URL, WHOP_COMPANY_ID, DEFECT (./defects.js).
 */
import { createServer } from 'node:http'
import { has } from './defects.js'
import { env } from './env.js'
import { MintError, mintFor } from './mint.js'

/** Session id → the Whop user the app's user was synced to (the mock's fixtures). */
const SESSIONS = { 'sess-sam-7f3a': 'user_lgLKOmxgJTeKd', 'sess-jane-91cd': 'user_J2isAjIhKtJ0R' }
const MAX_BODY = 4096

function sessionUser(req) {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')
  return match !== null && Object.hasOwn(SESSIONS, match[1]) ? SESSIONS[match[1]] : null
}

function parseBody(text) {
  try {
    const body = JSON.parse(text)
    return typeof body?.userId === 'string' ? body.userId : null
  } catch {
    return null
  }
}

function failedMint(error) {
  console.error(`chat token: ${error instanceof MintError ? `Whop answered ${error.status}` : error.name}`)
  if (has('forwards-whop-error') && error instanceof MintError) return [error.status, error.body ?? {}]
  if (has('key-in-error')) return [502, { error: `Whop refused the key ${env.apiKey}` }]
  return [502, { error: 'Could not get a chat token. Try again.' }]
}

async function chatToken(req, bodyText) {
  if (!/^application\/json/.test(req.headers['content-type'] ?? '')) return [415, { error: 'Send JSON.' }]
  const claimed = parseBody(bodyText)
  if (claimed === null) return [400, { error: 'Send {"userId": "user_…"}.' }]
  const caller = has('trusts-body-user') ? claimed : sessionUser(req)
  if (caller === null) return [401, { error: 'Sign in first.' }]
  if (claimed !== caller) return [403, { error: 'That is not your user id.' }]
  try {
    return [200, { token: await mintFor(caller) }]
  } catch (error) {
    return failedMint(error)
  }
}

createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://app.invalid').pathname
  let bodyText = ''
  req.on('data', (chunk) => {
    if (bodyText.length < MAX_BODY) bodyText += chunk.toString('utf8')
  })
  req.on('end', async () => {
    const [status, body] =
      req.method === 'POST' && path === '/api/chat/token'
        ? await chatToken(req, bodyText)
        : req.method === 'GET' && path === '/'
          ? [200, { status: 'ok' }]
          : [404, { error: 'Not found.' }]
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  })
}).listen(env.port, env.host, () =>
  console.log(`chat token route on http://${env.host}:${env.port}${process.env.DEFECT ? ` with defect ${process.env.DEFECT}` : ''}`),
)
