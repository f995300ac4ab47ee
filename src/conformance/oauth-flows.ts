/**
 * What differs between the sign-in flows an app can use, as data: where the app sends the
 * browser, which token endpoint redeems the codes, and which documented checks apply. Cases
 * name the flows they apply to by reading a row, never by a flow's name.
 * @see whop-auth-reference §2.2, §2.3, §2.4, §4.2, §4.3, §7
 */
export const OAUTH_FLOWS = ['current-pkce', 'legacy-whop-api', 'legacy-v5'] as const
export type OAuthFlow = (typeof OAUTH_FLOWS)[number]

export interface OAuthFlowRow {
  /** The mock's authorize page(s) for this flow: where the start must send the browser. */
  authorizePaths: readonly string[]
  /** The token endpoint(s) that redeem this flow's codes. */
  tokenPaths: readonly string[]
  /** PKCE S256 is required, and a nonce when `openid` is asked for [D D-OAUTH; T4, T6]. */
  pkceAndNonce: boolean
  /** The token endpoint hands out refresh tokens, which rotate on every use. */
  refreshTokens: boolean
  /** The app API key is accepted as the client secret [D OLD oauth/index.ts]. */
  appKeyAsSecret: boolean
}

const LEGACY_AUTHORIZE = ['/oauth', '/oauth/'] as const

export const OAUTH_FLOW_ROWS: Record<OAuthFlow, OAuthFlowRow> = {
  // [D D-OAUTH] OAuth 2.1 + PKCE + OpenID; refresh tokens rotate.
  'current-pkce': {
    authorizePaths: ['/oauth/authorize'],
    tokenPaths: ['/oauth/token'],
    pkceAndNonce: true,
    refreshTokens: true,
    appKeyAsSecret: false,
  },
  // [D OLD oauth/index.ts, examples/oauth-nextjs] @whop/api and its Auth.js provider; the example stores refresh_token.
  'legacy-whop-api': {
    authorizePaths: LEGACY_AUTHORIZE,
    tokenPaths: ['/api/oauth/token'],
    pkceAndNonce: false,
    refreshTokens: true,
    appKeyAsSecret: true,
  },
  // [D V5Y, S4] only access_token comes back, "long lived".
  'legacy-v5': {
    authorizePaths: LEGACY_AUTHORIZE,
    tokenPaths: ['/v5/oauth/token', '/api/v5/oauth/token'],
    pkceAndNonce: false,
    refreshTokens: false,
    appKeyAsSecret: true,
  },
}

/** Flows whose row satisfies `test`: how a case says which flows it applies to. */
export const flowsWhere = (test: (row: OAuthFlowRow) => boolean): OAuthFlow[] => OAUTH_FLOWS.filter((flow) => test(OAUTH_FLOW_ROWS[flow]))

/** Where Whop's user endpoints are: the reads that show an app used the user's token [D D-OAUTH, V5Y, NEW users.ts]. */
export const USER_READ_PATHS: readonly string[] = ['/oauth/userinfo', '/v5/me', '/api/v5/me', '/api/v1/users/me']
