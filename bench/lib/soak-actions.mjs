// @ts-check
/**
 * What the mixed soak's clients do, by weight: each action sends one or more requests and
 * resolves with the statuses it got (the soak counts the 5xx among them).
 */
import { apiKey, company, member } from './fixtures.mjs'
import { FLOWS, roundTrip } from './oauth-flow.mjs'
import { must } from './must.mjs'

const json = { 'content-type': 'application/json' }
/** Tokens kept for the userinfo calls; newer round trips replace older ones. */
const KEPT_TOKENS = 20

/** @typedef {{ method: 'GET' | 'POST' | 'DELETE', path: string, headers?: Record<string, string>, body?: string }} Req */
/** @typedef {{ tokens: string[] }} Shared */
/**
 * @typedef {object} Action
 * @property {string} kind
 * @property {number} weight
 * @property {(status: number) => boolean} expected  whether a status is the right answer to this action
 * @property {(pool: import('undici').Dispatcher, shared: Shared) => Promise<number[]>} run
 */

/**
 * @param {import('undici').Dispatcher} pool
 * @param {Req} req
 */
async function send(pool, req) {
  const response = await pool.request(req)
  await response.body.dump()
  return response.statusCode
}

/** Requests the mock must refuse with a 4xx, each once an audit's input. */
/** @type {Req[]} */
const BAD = [
  { method: 'POST', path: '/api/v1/access_tokens', headers: { ...json, authorization: `Bearer ${apiKey}` }, body: '{"company_id":' },
  { method: 'POST', path: '/api/v1/access_tokens', headers: { ...json, authorization: `Bearer ${apiKey}` }, body: '['.repeat(5000) },
  { method: 'POST', path: '/api/v1/access_tokens', headers: { ...json, authorization: 'Bearer apik_wrong' }, body: '{}' },
  { method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' },
  { method: 'POST', path: '/oauth/token', headers: { 'content-type': 'text/plain' }, body: 'grant_type=authorization_code&code=x' },
  { method: 'GET', path: '/oauth/userinfo', headers: { authorization: 'Bearer not.a.jwt' } },
  { method: 'GET', path: '/oauth/authorize?client_id=app_unknown&response_type=code' },
  { method: 'GET', path: '/api/v1/no/such/route' },
  { method: 'POST', path: '/_mock/clock', headers: json, body: JSON.stringify({ advance_seconds: 8.7e12 }) },
  { method: 'POST', path: '/_mock/faults', headers: json, body: JSON.stringify({ path: '/x', status: 101 }) },
]

/** Control calls that leave the world as it was (a fault armed on a path nobody asks for, then all cleared). */
/** @type {Req[]} */
const CONTROL = [
  { method: 'GET', path: '/_mock/health' },
  { method: 'GET', path: '/_mock/clock' },
  { method: 'GET', path: '/_mock/journal?limit=5' },
  { method: 'GET', path: '/_mock/faults' },
  { method: 'GET', path: '/_mock/settings' },
  { method: 'GET', path: '/_mock/fixtures' },
  { method: 'POST', path: '/_mock/faults', headers: json, body: JSON.stringify({ path: '/soak/nobody-asks', status: 418 }) },
  { method: 'DELETE', path: '/_mock/faults' },
]

const MINT = {
  method: /** @type {const} */ ('POST'),
  path: '/api/v1/access_tokens',
  headers: { ...json, authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ company_id: company.id, user_id: member }),
}

/**
 * @template T
 * @param {T[]} list
 */
const any = (list) => must(list[Math.floor(Math.random() * list.length)], 'an item of a non-empty list')
/** @param {number} status */
const success = (status) => status >= 200 && status < 300
/** @param {number} status */
const refusal = (status) => status >= 400 && status < 500

/** @type {Action[]} */
export const ACTIONS = [
  { kind: 'mint', weight: 3, expected: (status) => status === 200, run: async (pool) => [await send(pool, MINT)] },
  {
    kind: 'round trip',
    weight: 2,
    expected: success,
    run: async (pool, shared) => {
      const tokens = await roundTrip(pool, FLOWS.mock)
      shared.tokens.push(tokens.access_token)
      if (shared.tokens.length > KEPT_TOKENS) shared.tokens.shift()
      return [200]
    },
  },
  {
    kind: 'userinfo',
    weight: 3,
    expected: (status) => status === 200,
    run: async (pool, shared) => [
      await send(pool, { method: 'GET', path: '/oauth/userinfo', headers: { authorization: `Bearer ${any(shared.tokens)}` } }),
    ],
  },
  { kind: 'bad request', weight: 2, expected: refusal, run: async (pool) => [await send(pool, any(BAD))] },
  { kind: 'control', weight: 1, expected: success, run: async (pool) => [await send(pool, any(CONTROL))] },
]

const totalWeight = ACTIONS.reduce((sum, a) => sum + a.weight, 0)

/**
 * One action, drawn by weight.
 * @returns {Action}
 */
export function pickAction() {
  let r = Math.random() * totalWeight
  for (const action of ACTIONS) {
    r -= action.weight
    if (r < 0) return action
  }
  return must(ACTIONS[ACTIONS.length - 1], 'an action')
}
