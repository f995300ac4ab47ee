/**
 * Whop's sign-in eras, as data: the one table the server, the conformance suite and the tests
 * read. Three facts, each said once:
 * - a Flow is an authorize page; the spec names the operation serving it with `x-authorize-flow`;
 * - a TokenEra is what differs between token endpoints; the spec names each exchange's era with
 *   `x-token-era`, and the era says which flow's codes it redeems;
 * - a SignInVariant is what an integration uses, as the conformance config's `oauth.flow` names
 *   it: one token era (and so that era's flow).
 * No path is written here: `./era-paths.ts` reads them from the loaded spec.
 * The token engine reads an era's row and never branches on its name; a new Whop variant is a
 * new row plus its spec operation.
 * @see docs/whop-reference.md §2.2, §2.4, §7
 */

/** The authorize pages: `current` (OAuth 2.1 + PKCE + OpenID) and `legacy` (whop.com/oauth). */
export const FLOWS = ['current', 'legacy'] as const
/** Which authorize page issued a code; its token endpoints redeem only their own flow's codes. */
export type Flow = (typeof FLOWS)[number]

export type GrantType = 'authorization_code' | 'refresh_token'
export type ResponseField = 'access_token' | 'refresh_token' | 'token_type' | 'expires_in' | 'scope' | 'created_at' | 'id_token'

interface EraRow {
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

export interface TokenEra extends EraRow {
  name: string
}

/** Doorkeeper's default texts, which S4 documents word for word for the v5 era [D S4; I for invalid_client]. */
export const DOORKEEPER_INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.'
export const DOORKEEPER_INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'

const HOUR = 3600
/** Mock choice: v2/v5 tokens are "long lived" [D V2J] and come without expiry or refresh: 30 days. */
const LONG_LIVED = 30 * 24 * HOUR

const legacy = (row: Pick<EraRow, 'grantTypes' | 'defaultGrantType' | 'fields' | 'accessTokenTtlSeconds'>): EraRow => ({
  flow: 'legacy',
  pkce: false,
  stickyCompanyId: false,
  acceptAppApiKeyAsSecret: true,
  tokenType: 'bearer',
  invalidGrantText: DOORKEEPER_INVALID_GRANT,
  invalidClientText: DOORKEEPER_INVALID_CLIENT,
  ...row,
})

const ERA_ROWS = {
  current: {
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
  v3: legacy({
    grantTypes: ['authorization_code', 'refresh_token'],
    defaultGrantType: null,
    accessTokenTtlSeconds: HOUR,
    fields: ['access_token', 'scope', 'token_type', 'refresh_token', 'expires_in'],
  }),
  // [D V5Y, S4] grant_type may be omitted; only access_token comes back.
  v5: legacy({
    grantTypes: ['authorization_code'],
    defaultGrantType: 'authorization_code',
    accessTokenTtlSeconds: LONG_LIVED,
    fields: ['access_token'],
  }),
  // [D V2J] grant_type is always authorization_code; mock choice: it may be omitted as in v5.
  v2: legacy({
    grantTypes: ['authorization_code'],
    defaultGrantType: 'authorization_code',
    accessTokenTtlSeconds: LONG_LIVED,
    fields: ['access_token'],
  }),
  // [D OLD oauth/index.ts, examples/oauth-nextjs] @whop/api and its Auth.js provider; never an id_token.
  'whop-api': legacy({
    grantTypes: ['authorization_code', 'refresh_token'],
    defaultGrantType: null,
    accessTokenTtlSeconds: HOUR,
    fields: ['access_token', 'token_type', 'expires_in', 'created_at', 'refresh_token'],
  }),
} as const satisfies Record<string, EraRow>

export type EraName = keyof typeof ERA_ROWS

export const TOKEN_ERAS: readonly TokenEra[] = Object.entries(ERA_ROWS).map(([name, row]) => ({ name, ...row }))

/**
 * The sign-in variants an app can integrate, by the names the conformance config uses. Each is
 * one token era; what a case checks (PKCE, refresh, the app key as secret) is read from it.
 */
export const SIGN_IN_VARIANTS = [
  // [D D-OAUTH] OAuth 2.1 + PKCE + OpenID; refresh tokens rotate.
  { name: 'current-pkce', era: 'current' },
  // [D OLD oauth/index.ts, examples/oauth-nextjs] @whop/api and its Auth.js provider; the example stores refresh_token.
  { name: 'legacy-whop-api', era: 'whop-api' },
  // [D V5Y, S4] only access_token comes back, "long lived".
  { name: 'legacy-v5', era: 'v5' },
] as const satisfies readonly { name: string; era: EraName }[]

export type SignInVariant = (typeof SIGN_IN_VARIANTS)[number]['name']

const known = (what: string, value: unknown, names: readonly string[]) =>
  new Error(`unknown ${what} ${JSON.stringify(value)}; known: ${names.join(', ')}`)

export function resolveEra(name: unknown): TokenEra {
  const era = TOKEN_ERAS.find((row) => row.name === name)
  if (era === undefined)
    throw known(
      'token era',
      name,
      TOKEN_ERAS.map((e) => e.name),
    )
  return era
}

export function resolveFlow(name: unknown): Flow {
  const flow = FLOWS.find((f) => f === name)
  if (flow === undefined) throw known('authorize flow', name, FLOWS)
  return flow
}

/** The token era a sign-in variant redeems its codes at. */
export function variantEra(variant: SignInVariant): TokenEra {
  const row = SIGN_IN_VARIANTS.find((v) => v.name === variant)
  if (row === undefined)
    throw known(
      'sign-in variant',
      variant,
      SIGN_IN_VARIANTS.map((v) => v.name),
    )
  return resolveEra(row.era)
}

/** The variants whose era satisfies `test`: how a conformance case says which variants it applies to. */
export const variantsWhere = (test: (era: TokenEra) => boolean): SignInVariant[] =>
  SIGN_IN_VARIANTS.filter((v) => test(resolveEra(v.era))).map((v) => v.name)

/** Whether an era hands out refresh tokens (which rotate on every use). */
export const refreshes = (era: TokenEra): boolean => era.grantTypes.includes('refresh_token')
