/**
 * What differs between Whop's token-exchange eras, as data. The token engine reads a row and
 * never branches on an era's name; a new Whop variant is a new row plus its spec operation
 * (which names the row with `x-token-era`).
 * @see whop-auth-reference §2.2, §2.4, §7
 */
import type { Flow } from '../state/grants.js'

export type GrantType = 'authorization_code' | 'refresh_token'
export type ResponseField = 'access_token' | 'refresh_token' | 'token_type' | 'expires_in' | 'scope' | 'created_at' | 'id_token'

export interface TokenEra {
  name: string
  /** Which authorize page's codes this endpoint redeems. */
  flow: Flow
  grantTypes: readonly GrantType[]
  /** Used when the request leaves `grant_type` out; null makes it required. */
  defaultGrantType: GrantType | null
  /** Verify `code_verifier` against the code's S256 challenge. */
  pkce: boolean
  /** A `company_id` given at authorize must be sent again on refresh. */
  stickyCompanyId: boolean
  acceptAppApiKeyAsSecret: boolean
  accessTokenTtlSeconds: number
  tokenType: 'Bearer' | 'bearer'
  /** The fields of a 200 answer, in order; `id_token` only appears when `openid` was granted. */
  fields: readonly ResponseField[]
  /** One fixed text for every invalid_grant / invalid_client, or null for specific descriptions. */
  invalidGrantText: string | null
  invalidClientText: string | null
}

/** Doorkeeper's default texts, which S4 documents word for word for the v5 era [D S4; I for invalid_client]. */
export const DOORKEEPER_INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.'
export const DOORKEEPER_INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'

const HOUR = 3600
/** Mock choice: v2/v5 tokens are "long lived" [D V2J] and come without expiry or refresh: 30 days. */
const LONG_LIVED = 30 * 24 * HOUR

const legacy = (
  row: Pick<TokenEra, 'name' | 'grantTypes' | 'defaultGrantType' | 'fields' | 'accessTokenTtlSeconds'> & Partial<TokenEra>,
): TokenEra => ({
  flow: 'legacy',
  pkce: false,
  stickyCompanyId: false,
  acceptAppApiKeyAsSecret: true,
  tokenType: 'bearer',
  invalidGrantText: DOORKEEPER_INVALID_GRANT,
  invalidClientText: DOORKEEPER_INVALID_CLIENT,
  ...row,
})

export const TOKEN_ERAS: readonly TokenEra[] = [
  {
    name: 'current',
    flow: 'current',
    grantTypes: ['authorization_code', 'refresh_token'],
    defaultGrantType: null,
    pkce: true,
    stickyCompanyId: true,
    acceptAppApiKeyAsSecret: false,
    accessTokenTtlSeconds: HOUR,
    tokenType: 'Bearer',
    fields: ['access_token', 'refresh_token', 'token_type', 'expires_in', 'id_token'],
    invalidGrantText: null,
    invalidClientText: null,
  },
  // [D S2] "your secret API key" as client_secret; form bodies; refresh grant; scope echoed.
  legacy({
    name: 'v3',
    grantTypes: ['authorization_code', 'refresh_token'],
    defaultGrantType: null,
    accessTokenTtlSeconds: HOUR,
    fields: ['access_token', 'scope', 'token_type', 'refresh_token', 'expires_in'],
  }),
  // [D V5Y, S4] grant_type may be omitted; only access_token comes back.
  legacy({
    name: 'v5',
    grantTypes: ['authorization_code'],
    defaultGrantType: 'authorization_code',
    accessTokenTtlSeconds: LONG_LIVED,
    fields: ['access_token'],
  }),
  // [D V2J] grant_type is always authorization_code; mock choice: it may be omitted as in v5.
  legacy({
    name: 'v2',
    grantTypes: ['authorization_code'],
    defaultGrantType: 'authorization_code',
    accessTokenTtlSeconds: LONG_LIVED,
    fields: ['access_token'],
  }),
  // [D OLD oauth/index.ts, examples/oauth-nextjs] @whop/api and its Auth.js provider; never an id_token.
  legacy({
    name: 'whop-api',
    grantTypes: ['authorization_code', 'refresh_token'],
    defaultGrantType: null,
    accessTokenTtlSeconds: HOUR,
    fields: ['access_token', 'token_type', 'expires_in', 'created_at', 'refresh_token'],
  }),
]

export function resolveEra(name: unknown): TokenEra {
  const era = TOKEN_ERAS.find((row) => row.name === name)
  if (era === undefined) throw new Error(`unknown token era ${JSON.stringify(name)}; known: ${TOKEN_ERAS.map((e) => e.name).join(', ')}`)
  return era
}
