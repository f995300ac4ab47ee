/**
 * Sign-in stories where what reaches the app must be refused: an id_token or userinfo answer
 * Whop spoiled on purpose (`/_mock/tamper`), a code from another browser's sign-in, the same
 * browser's callback visited twice, a start that names another origin to return to, and a
 * refresh Whop refuses; and the page a normal sign-in lands on. Each starts from a clean mock, as every sign-in story does.
 * @see docs/whop-reference.md §2.2, §6 items 1, 6, 10
 */
import type { TamperKind, TamperTarget } from '../../state/tampering.js'
import type { JournalEntry } from '../../state/journal.js'
import type { BrowserResponse, Hop } from '../browser-types.js'
import { checkProfile, exchangesOf, passAuthorize, startSignIn, visit, type ProfileCheck } from '../sign-in-driver.js'
import { jwtsIn } from '../../redact.js'
import { leadsToMock } from '../whop-urls.js'
import type { Scenario } from '../driver.js'
import { approvedSignIn, signIn, story, type SignInStory } from './oauth.js'

export interface TamperedSignIn {
  kind: TamperKind
  story: SignInStory
  /** The journal entries of the answers the tampering spoiled (empty when no answer was). */
  spoiled: JournalEntry[]
}

/** A sign-in whose next id_token (or userinfo answer) for the app's client Whop spoils as `kind` says. */
export function tamperedSignIn(target: TamperTarget, kind: TamperKind) {
  return story(`tampered-${target}-${kind}`, 60, async (driver): Promise<TamperedSignIn> => {
    await driver.mock.tamper({ target, client_id: driver.oauth.clientId, kind })
    const mark = await driver.journalMark()
    const signedIn = await signIn(driver, driver.newBrowser(`oauth-tampered-${kind}`))
    const spoiled = (await driver.journalSince(mark)).filter((e) => e.note?.includes(`tampered ${target}`) === true)
    return { kind, story: signedIn, spoiled }
  })
}

export interface InjectedCode {
  /** Browser A's sign-in, its callback carrying browser B's code instead of its own. */
  story: SignInStory
  /** The code issued to browser B, never used by B. */
  injected: string | null
  /** Token requests that carried B's code. */
  exchanges: JournalEntry[]
}

/** RFC 9700 §4.5: browser B's code (stolen before B used it) arrives at browser A's callback, with A's state. */
export const injectedCode = story('code-injection', 60, async (driver): Promise<InjectedCode> => {
  const victim = driver.newBrowser('oauth-victim')
  const start = await startSignIn(driver, victim)
  const stolen = start.authorize === null ? null : (await passAuthorize(driver, victim, start.authorize, 'approve')).code
  const mark = await driver.journalMark()
  const attacked = await signIn(driver, driver.newBrowser('oauth-attacker'), {
    beforeCallback: (url) => {
      if (stolen !== null) url.searchParams.set('code', stolen)
      return url
    },
  })
  return { story: attacked, injected: stolen, exchanges: exchangesOf(await driver.journalSince(mark), stolen) }
})

export interface RevisitedCallback {
  first: SignInStory
  /** The same browser visits its own callback URL again; null when the first never came back. */
  again: BrowserResponse | null
  /** Token requests that carried the code during the second visit. */
  exchanges: JournalEntry[]
}

/** After a sign-in, the same browser visits the callback URL again (back button, reload): the state is spent. */
export const revisitedCallback = story('callback-revisited', 60, async (driver): Promise<RevisitedCallback> => {
  const browser = driver.newBrowser('oauth-revisitor')
  const first = await signIn(driver, browser)
  if (first.visited === null) return { first, again: null, exchanges: [] }
  const mark = await driver.journalMark()
  const again = await visit(driver, browser, first.visited)
  return { first, again, exchanges: exchangesOf(await driver.journalSince(mark), first.callback.code) }
})

/** Origins an open redirector would send the browser to: another site, absolute and scheme-relative. */
export const FOREIGN_TARGETS = ['https://evil.example/landed', '//evil.example/landed'] as const

export interface ReturnToStory {
  target: string
  story: SignInStory
  /** Redirects of the app's (at the start, the callback, or in between) to neither the app nor Whop. */
  exits: { hop: Hop; to: URL }[]
}

/** RFC 9700 §4.11.1: a sign-in started with every configured return-to parameter naming another origin. */
export const foreignReturnTo = story('open-redirect', 60, async (driver): Promise<ReturnToStory[]> => {
  const out: ReturnToStory[] = []
  for (const [i, target] of FOREIGN_TARGETS.entries()) {
    if (i > 0) await driver.freshMockOnMachineClock()
    const params = Object.fromEntries(driver.oauth.returnToParams.map((name) => [name, target]))
    const signedIn = await signIn(driver, driver.newBrowser(`oauth-return-to-${i}`), { startParams: params })
    // Whop's own URLs (which the run maps onto the mock) are Whop, not outside.
    const exits = [...signedIn.start.answer.hops, ...(signedIn.landing?.hops ?? [])].flatMap((hop) => {
      const to = hop.location === null ? null : new URL(hop.location, hop.url)
      return to === null || driver.inApp(to) || leadsToMock(to, driver.oauth.mockUrl) ? [] : [{ hop, to }]
    })
    out.push({ target, story: signedIn, exits })
  }
  return out
})

export interface RefusedRefresh {
  signIn: SignInStory
  /** profilePath after the access token expired and Whop refused the refresh, twice; null when there was no session to refresh. */
  visits: ProfileCheck[] | null
}

/** Reference §6 item 10: the access token expires, and Whop answers every refresh with invalid_grant. */
export const refusedRefresh = story('refresh-refused', 70, async (driver): Promise<RefusedRefresh> => {
  const browser = driver.newBrowser('oauth-refused-refresh')
  const first = await signIn(driver, browser)
  if (first.profile?.signedIn !== true || !driver.oauth.keepsTokens) return { signIn: first, visits: null }
  await driver.mock.advanceClock(3601)
  const body = { error: 'invalid_grant', error_description: 'Refresh token is invalid, expired or revoked' }
  for (const path of driver.oauth.paths.token) await driver.mock.addFault({ method: 'POST', path, status: 400, body, times: 50 })
  const visits = [await checkProfile(driver, browser), await checkProfile(driver, browser)]
  await driver.mock.clearFaults()
  return { signIn: first, visits }
})

export interface Landing {
  story: SignInStory
  /** JWTs the mock signed (access or id tokens) found in the HTML of the page the browser landed on. */
  mockTokens: string[]
}

/** RFC 9700 §4.2: where the normal sign-in left the browser, and which of Whop's tokens its page holds. */
export const landingPage: Scenario<Landing> = {
  key: 'oauth:landing',
  phase: 60,
  async run(driver) {
    const signedIn = await driver.observe(approvedSignIn)
    const mockTokens: string[] = []
    for (const candidate of new Set(jwtsIn(signedIn.landing?.body ?? ''))) {
      const check = await driver.verifyToken(driver.oauth.mockUrl, candidate)
      if (check.valid || check.expired) mockTokens.push(candidate)
    }
    return { story: signedIn, mockTokens }
  },
}
