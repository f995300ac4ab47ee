/**
 * Scenarios for server mode: plain calls to a Whop-compatible server with the configured
 * credentials, each answer checked against the spec's contract for its operation.
 * @see docs/whop-reference.md §2.1 [D S3]
 */
import { randomBytes } from 'node:crypto'
import { MINT_PATH, type Scenario, type ServerAnswer, type TokenCheck } from '../driver.js'

export interface MintObservation {
  answer: ServerAnswer
  token: string | null
  /** Verified against the server's own /.well-known/jwks.json. */
  check: TokenCheck | null
}

const call = (key: string, run: Scenario<ServerAnswer>['run']): Scenario<ServerAnswer> => ({ key: `server:${key}`, phase: 10, run })

/** A key the server reaches, for a company it reaches and a user of that company. */
export const mintWithKey: Scenario<MintObservation> = {
  key: 'server:mint',
  phase: 10,
  async run(driver) {
    const { url, companyId, userId } = driver.server
    const answer = await driver.callServer('createAccessToken', 'POST', MINT_PATH, { json: { company_id: companyId, user_id: userId } })
    const found = (answer.json as { token?: unknown } | undefined)?.token
    const token = answer.status === 200 && typeof found === 'string' ? found : null
    return { answer, token, check: token === null ? null : await driver.verifyToken(url, token) }
  },
}

/** A well-formed key the server has never issued. */
export const mintWithUnknownKey = call('mint-unknown-key', (driver) =>
  driver.callServer('createAccessToken', 'POST', MINT_PATH, {
    apiKey: `whop_${randomBytes(20).toString('base64url')}`,
    json: { company_id: driver.server.companyId, user_id: driver.server.userId },
  }),
)

/** An API key, and neither company_id nor user_id. */
export const mintWithoutIds = call('mint-without-ids', (driver) => driver.callServer('createAccessToken', 'POST', MINT_PATH, { json: {} }))

/** scoped_actions naming an action the key does not hold. */
export const mintBeyondKeyPermissions = call('mint-non-subset', (driver) => {
  const { companyId, userId, ungrantedAction } = driver.server
  return driver.callServer('createAccessToken', 'POST', MINT_PATH, {
    json: { company_id: companyId, user_id: userId, scoped_actions: [ungrantedAction] },
  })
})

/**
 * expires_at four hours after the server's own clock (the `iat` of a token it just minted),
 * so the check does not depend on this machine's clock. Null when no token was minted.
 */
export const mintForFourHours: Scenario<ServerAnswer | null> = {
  key: 'server:mint-four-hours',
  phase: 20,
  async run(driver) {
    const iat = (await driver.observe(mintWithKey)).check?.claims?.iat
    if (typeof iat !== 'number') return null
    const { companyId, userId } = driver.server
    const expires_at = new Date((iat + 4 * 3600) * 1000).toISOString()
    return driver.callServer('createAccessToken', 'POST', MINT_PATH, { json: { company_id: companyId, user_id: userId, expires_at } })
  },
}

export const fetchJwks = call('jwks', (driver) => driver.callServer('getJwks', 'GET', '/.well-known/jwks.json', { apiKey: null }))
