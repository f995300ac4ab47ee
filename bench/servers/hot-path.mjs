// @ts-check
/**
 * The hot path alone, as the first performance prototype measured it: Fastify with the mock's mint and
 * authorize → token routes reduced to what they cannot skip (a key check, a code kept in a Map,
 * the PKCE check, ES256 signatures on the thread pool) and nothing else: no spec, validation,
 * journal, faults, fixtures or error envelopes. It answers the same requests as the mock, so
 * `npm run bench` can show, in the same run, what this machine allows before the product's
 * features cost anything. It is not the product and nothing else uses it.
 *
 * Like for like with `serve`: it applies the same V8 heap flags at start (applyServeHeapSettings
 * from dist/cli/heap-settings.js, so a build is needed) and targets.mjs gives it the same
 * one-thread libuv pool (UV_THREADPOOL_SIZE=1) that main.cjs gives serve.
 *
 *   UV_THREADPOOL_SIZE=1 node bench/servers/hot-path.mjs --port 4013
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import Fastify from 'fastify'
import { applyServeHeapSettings } from '../../dist/cli/heap-settings.js'
import { apiKey } from '../lib/fixtures.mjs'
import { serverOptions, stopOnSignal } from './cli.mjs'

const values = serverOptions()
// As serve does before it builds the server (src/cli/serve.ts).
applyServeHeapSettings(process.execArgv, process.env.NODE_OPTIONS)
const authorization = `Bearer ${apiKey}`

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'hot-path', typ: 'JWT' })).toString('base64url')
let jti = 0
/**
 * @param {Record<string, unknown>} claims
 * @returns {Promise<string>}
 */
const signJwt = (claims) => {
  const now = Math.floor(Date.now() / 1000)
  const input = `${header}.${Buffer.from(JSON.stringify({ ...claims, iat: now, exp: now + 3600, jti: String(++jti) })).toString('base64url')}`
  return new Promise((resolve, reject) =>
    sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }, (error, signature) =>
      error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`),
    ),
  )
}

/**
 * An issued code, until redeemed or expired.
 * @typedef {{ clientId?: string, challenge?: string, nonce?: string, userId?: string, expiresAt: number }} Code
 */
/** @type {Map<string, Code>} */
const codes = new Map()
const app = Fastify({ logger: false })
app.get('/', async () => ({ ok: true }))
app.post('/api/v1/access_tokens', async (request, reply) => {
  if (request.headers.authorization !== authorization) return reply.code(401).send({ error: { type: 'unauthorized' } })
  const { company_id, user_id } = /** @type {{ company_id?: string, user_id?: string }} */ (request.body)
  return {
    token: await signJwt({ iss: 'hot-path', sub: user_id ?? company_id, company_id, user_id }),
    expires_at: new Date(Date.now() + 3600_000).toISOString(),
  }
})
app.get('/oauth/authorize', async (request, reply) => {
  const q = /** @type {Record<string, string | undefined>} */ (request.query)
  if (q.redirect_uri === undefined || q.state === undefined) return reply.code(400).send({ error: 'invalid_request' })
  const code = randomBytes(24).toString('base64url')
  codes.set(code, {
    clientId: q.client_id,
    challenge: q.code_challenge,
    nonce: q.nonce,
    userId: q.login_hint,
    expiresAt: Date.now() + 300_000,
  })
  if (codes.size > 5000) {
    const oldest = codes.keys().next()
    if (oldest.done !== true) codes.delete(oldest.value)
  }
  const location = new URL(q.redirect_uri)
  location.searchParams.set('code', code)
  location.searchParams.set('state', q.state)
  return reply.redirect(location.href, 302)
})
app.post('/oauth/token', async (request, reply) => {
  const { code, code_verifier: verifier } = /** @type {Record<string, string | undefined>} */ (request.body)
  if (code === undefined || verifier === undefined) return reply.code(400).send({ error: 'invalid_request' })
  const grant = codes.get(code)
  codes.delete(code)
  if (
    grant === undefined ||
    grant.expiresAt < Date.now() ||
    createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
  ) {
    return reply.code(400).send({ error: 'invalid_grant' })
  }
  const [accessToken, idToken] = await Promise.all([
    signJwt({ iss: 'hot-path', sub: grant.userId, client_id: grant.clientId }),
    signJwt({ iss: 'hot-path', sub: grant.userId, aud: grant.clientId, nonce: grant.nonce }),
  ])
  return {
    access_token: accessToken,
    id_token: idToken,
    refresh_token: randomBytes(32).toString('base64url'),
    token_type: 'Bearer',
    expires_in: 3600,
  }
})
await app.listen({ port: Number(values.port), host: values.host })
process.stdout.write(`hot path listening on ${app.listeningOrigin}\n`)
stopOnSignal(() => app.close())
