/**
 * What the runner knows that an observation does not say: the credentials, the configured
 * parts, and for sign-in the variant with the paths the spec serves it at. Verdicts read it;
 * the driver hands it to scenarios.
 */
import type { SignInPaths } from '../era-paths.js'
import type { SignInVariant } from '../eras.js'
import type { TokenRouteConfig } from './config.js'
import type { SignedInRule, SignInStart } from './config-shapes.js'

/** Where the sign-in under test happens, as the spec says. */
export interface OAuthPaths extends SignInPaths {
  /** Whop's user endpoints: the reads that show an app used the user's token [D D-OAUTH, V5Y, NEW users.ts]. */
  userReads: string[]
  /** Whop's OpenID discovery document and its signing keys, where the spec serves them. */
  discovery: string[]
  jwks: string[]
}

/** The sign-in under test, resolved against the mock's fixtures and the spec. */
export interface OAuthKnown {
  flow: SignInVariant
  /** The authorize page(s), token endpoint(s) and user reads of `flow`. */
  paths: OAuthPaths
  clientId: string
  clientType: 'public' | 'confidential'
  /** The app's registered secret, or null for a public app. */
  clientSecret: string | null
  /** The app's API keys, which the legacy token endpoints also take as its secret. */
  appApiKeys: string[]
  /** app.baseUrl + callbackPath. */
  redirectUri: string
  /** The Whop user the runner signs in as on the mock's page. */
  userId: string
  /** Scopes the start must ask for. */
  scope: string[]
  /** The mock's origin, where the start must send the browser. */
  mockUrl: string
  startPath: string
  profilePath: string
  start: SignInStart
  signedIn: SignedInRule
  keepsTokens: boolean
  /** The start's parameters that name where to go after sign-in. */
  returnToParams: string[]
}

/** Server mode's target with its credentials resolved (unset ones default to the mock fixtures). */
export interface ServerTarget {
  url: string
  apiKey: string
  companyId: string
  userId: string
  ungrantedAction: string
}

export interface Known {
  /** The API key the app (or server mode) uses; leak checks look for it whole. */
  apiKey: string
  tokenRoute: TokenRouteConfig | null
  oauth: OAuthKnown | null
  server: ServerTarget | null
}
