/**
 * Verdict builders for the sign-in cases, so each case file says in a few lines what it checks
 * and every failure reads the same way. "Signed in" means one thing throughout: the app's
 * profilePath answered 2xx for that browser.
 */
import { maskSecret, maskSecretsIn } from '../redact.js'
import type { JournalEntry } from '../state/journal.js'
import { variantEra } from '../eras.js'
import { isS256Challenge } from '../oauth/pkce.js'
import type { Verdict } from './case.js'
import { describeAnswer, fail, requestBody, skip } from './judge.js'
import { COOKIES_LABEL, describeCookies, NO_COOKIES } from './describe.js'
import type { OAuthKnown } from './known.js'
import type { SignInStory } from './scenarios/oauth.js'
import type { ProfileCheck, StartAnswer } from './sign-in-driver.js'
import { pathWithinMock } from './whop-urls.js'

/** How the start answered, in one line. */
export function describeStart(start: StartAnswer): string {
  const location = start.answer.headers.location
  return location !== undefined && start.answer.status >= 300 && start.answer.status < 400
    ? `answered ${start.answer.status}, sending the browser to ${location}`
    : describeAnswer(start.answer)
}

/** How profilePath answered, in one line. */
export const describeProfile = (profile: ProfileCheck, oauth: OAuthKnown) => `GET ${oauth.profilePath} ${describeAnswer(profile.answer)}`

/** A sign-in failure's text with the app's cookies in the story: set, sent, and set but never sent back. */
export function withCookies(text: string, story: SignInStory, oauth: OAuthKnown): string {
  const mock = new URL(oauth.mockUrl).origin
  const cookies = describeCookies(story.hops.filter((h) => new URL(h.url).origin !== mock))
  return cookies === null ? `${text}${NO_COOKIES}` : `${text}${COOKIES_LABEL}${cookies}`
}

/** A story that never got the browser back to the app's callback has nothing after it to judge. */
export function unreturned(story: SignInStory): Verdict | null {
  return story.landing !== null && story.profile !== null
    ? null
    : skip(`the sign-in never came back to the app's callback: ${story.callback.problem ?? 'no redirect'}`)
}

export const requestsOf = (story: SignInStory, profile: ProfileCheck | null = story.profile): JournalEntry[] => [
  ...story.exchanges,
  ...story.callbackReads,
  ...(profile?.reads ?? []),
  ...(profile?.refreshes ?? []),
]

/**
 * A callback the app must refuse: no token request for its code, nobody signed in, and an answer
 * (a page or a redirect) rather than a 5xx or silence.
 */
export function refused(story: SignInStory, oauth: OAuthKnown, what: string): Verdict | null {
  const expected = `${what} refused: no token request for its code, nobody signed in, a 4xx or a redirect`
  if (story.exchanges.length > 0)
    return fail(
      expected,
      `the app exchanged the code anyway (${story.exchanges.length} token request${story.exchanges.length === 1 ? '' : 's'})`,
      requestsOf(story),
    )
  if (story.profile!.signedIn)
    return fail(
      expected,
      withCookies(`the app treats the browser as signed in: ${describeProfile(story.profile!, oauth)}`, story, oauth),
      requestsOf(story),
    )
  if (story.landing!.status === 0 || story.landing!.status >= 500)
    return fail(expected, `the callback ${describeAnswer(story.landing!)}`, requestsOf(story))
  return null
}

/** Refresh cases on an identity-only app: it keeps no Whop token to refresh. */
export const notApplicableWithoutTokens = (oauth: OAuthKnown): Verdict | null =>
  oauth.keepsTokens ? null : skip('not applicable: the config says the app keeps no Whop tokens after sign-in (oauth.keepsTokens false)')

/** The story's successful refresh grant, if the app made one. */
export const acceptedRefresh = (profile: ProfileCheck | null): JournalEntry | undefined => profile?.refreshes.find((e) => e.status === 200)

/** A field of a journaled request body: `redirect_uri` and the like whole, secrets as an 8-character prefix. */
export const bodyField = (entry: JournalEntry, name: string): unknown => requestBody(entry)[name]

/**
 * The current page requires response_type=code; the legacy page's documented parameters do not
 * include it (Whop's v5 guide sends none), so there it is judged only when sent.
 * @see docs/whop-reference.md §2.2 Authorize, §2.3
 */
const responseTypeRequired = (url: URL, oauth: OAuthKnown) =>
  variantEra(oauth.flow).flow === 'current' || url.searchParams.has('response_type')

/** What is wrong with an authorize URL an app sent the browser to; empty when nothing is. */
export function authorizeProblems(url: URL, oauth: OAuthKnown): string[] {
  const q = url.searchParams
  const asked = (q.get('scope') ?? '').split(/\s+/)
  const shown = (name: string) => q.get(name) ?? '(missing)'
  // The mock may sit under a path (a tenant's /t/{name}), or stand in for Whop's own URL: the path is judged within it.
  const path = pathWithinMock(url, oauth.mockUrl)
  return [
    (path === null || !oauth.paths.authorize.includes(path)) && `the path is ${url.pathname}`,
    q.get('client_id') !== oauth.clientId && `client_id is ${shown('client_id')}`,
    q.get('redirect_uri') !== oauth.redirectUri && `redirect_uri is ${shown('redirect_uri')}`,
    responseTypeRequired(url, oauth) && q.get('response_type') !== 'code' && `response_type is ${shown('response_type')}`,
    oauth.scope.some((s) => !asked.includes(s)) && `scope is ${shown('scope')}`,
  ].filter((problem) => problem !== false)
}

/** How many characters still differ between values once the prefix and the suffix they all share are set aside. */
export function varyingCharacters(values: string[]): number {
  const shared = (at: (value: string, i: number) => string | undefined) => {
    let n = 0
    while (values.every((v) => at(v, n) !== undefined && at(v, n) === at(values[0]!, n))) n++
    return n
  }
  return Math.max(0, Math.min(...values.map((v) => v.length)) - shared((v, i) => v[i]) - shared((v, i) => v[v.length - 1 - i]))
}

/** What is missing from one start's PKCE and nonce; `seen` collects values so a repeat is caught. */
export function pkceProblem(url: URL, seen: Set<string>): string | null {
  const q = url.searchParams
  const challenge = q.get('code_challenge') ?? ''
  const nonce = (q.get('scope') ?? '').split(/\s+/).includes('openid') ? (q.get('nonce') ?? '') : null
  if (q.get('code_challenge_method') !== 'S256') return `code_challenge_method is ${q.get('code_challenge_method') ?? '(missing)'}`
  if (!isS256Challenge(challenge)) return `code_challenge is ${challenge || '(missing)'}`
  if (nonce !== null && nonce.length < 16) return `scope has openid and nonce is ${nonce || '(missing)'}`
  const repeated = [challenge, nonce].find((v) => v !== null && seen.has(v))
  if (repeated !== undefined) return `${repeated} was sent by an earlier start too`
  for (const v of [challenge, nonce]) if (v !== null) seen.add(v)
  return null
}

/** What a conforming code exchange looks like for this app and flow. */
export function expectedExchange(oauth: OAuthKnown): string {
  const auth = oauth.clientType === 'public' ? 'no secret' : "the app's secret (client_secret or HTTP Basic)"
  return `POST ${oauth.paths.token[0]} with redirect_uri=${oauth.redirectUri}, ${auth}${variantEra(oauth.flow).pkce ? ', a code_verifier' : ''}, accepted by Whop`
}

/** What is wrong with a code exchange as the mock journaled it, or null. */
export function exchangeProblem(entry: JournalEntry, oauth: OAuthKnown): string | null {
  const era = variantEra(oauth.flow)
  const secret = bodyField(entry, 'client_secret')
  const secrets = [oauth.clientSecret, ...(era.acceptAppApiKeyAsSecret ? oauth.appApiKeys : [])].filter((s) => s !== null).map(maskSecret)
  const basic = /^Basic\s/i.test(entry.headers.authorization ?? '')
  const confidential = oauth.clientType === 'confidential'
  if (!oauth.paths.token.includes(entry.path)) return `the code went to ${entry.path}, not ${oauth.paths.token.join(' or ')}`
  if (bodyField(entry, 'redirect_uri') !== oauth.redirectUri)
    return `redirect_uri was ${String(bodyField(entry, 'redirect_uri') ?? '(missing)')}`
  if (confidential && secret === undefined && !basic) return 'it sent no client_secret and no HTTP Basic credentials'
  if (!confidential && (secret !== undefined || basic)) return 'a public app sent a secret'
  if (typeof secret === 'string' && !secrets.includes(secret)) return `client_secret ${secret} is not the app's`
  if (era.pkce && bodyField(entry, 'code_verifier') === undefined) return 'it sent no code_verifier'
  return entry.status === 200 ? null : `Whop refused it with ${entry.status}`
}

/** Query and fragment parameters that only ever hold a credential. */
const CREDENTIAL_PARAMS = ['access_token', 'refresh_token', 'id_token', 'client_secret', 'code_verifier']

/** Query and fragment parameters of a URL, decoded. */
function paramsOf(url: string): [string, string][] {
  const parsed = new URL(url)
  return [...parsed.searchParams, ...new URLSearchParams(parsed.hash.slice(1))]
}

/**
 * Which credential a URL carries, by value, by an opaque token's masked prefix (`masked`), or by
 * parameter name; null when none.
 */
export function credentialIn(url: string, secrets: [value: string, name: string][], masked: string[] = []): string | null {
  const params = paramsOf(url)
  const whole = secrets.find(([value]) => url.includes(value) || url.includes(encodeURIComponent(value)))
  if (whole !== undefined) return whole[1]
  if (params.some(([, v]) => v.length > 8 && masked.includes(maskSecret(v)))) return 'refresh token Whop issued'
  const named = params.find(([k, v]) => CREDENTIAL_PARAMS.includes(k) && v !== '')
  return named === undefined ? null : `${named[0]} parameter`
}

/** A URL fit for a report: credentials by name or by masked prefix, keys and JWTs keep an 8-character prefix. */
export function quoteUrl(url: string, masked: string[] = []): string {
  const secret = ([k, v]: [string, string]) =>
    v.length > 0 && (CREDENTIAL_PARAMS.includes(k) || (v.length > 8 && masked.includes(maskSecret(v))))
  let out = url
  for (const [, v] of paramsOf(url).filter(secret)) for (const form of [encodeURIComponent(v), v]) out = out.split(form).join(maskSecret(v))
  return maskSecretsIn(out)
}
