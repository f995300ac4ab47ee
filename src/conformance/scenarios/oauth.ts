/**
 * Sign-in stories: a simulated person starts sign-in at the app, passes the mock's real sign-in
 * page and comes back to the app's callback, untouched, tampered with, late, or twice. Each story
 * starts from a clean mock and an empty jar, so no story sees another's session or grant.
 * Time moves only by the mock clock: +301 s expires a code, +3601 s an access token.
 * @see docs/whop-reference.md §2.2, §6 items 1-3, 9, 10, 29
 */
import { randomBytes } from 'node:crypto'
import type { ConformanceBrowser as Browser, BrowserResponse, Hop } from '../browser-types.js'
import type { Driver, Scenario } from '../driver.js'
import { jwtsIn } from '../../redact.js'
import type { JournalEntry } from '../../state/journal.js'
import { describeAnswer, requestBody } from '../judge.js'
import { refreshes, variantEra } from '../../eras.js'
import {
  checkProfile,
  exchangesOf,
  passAuthorize,
  startSignIn,
  visit,
  type Callback,
  type ProfileCheck,
  type StartAnswer,
  userReads,
} from '../sign-in-driver.js'

/** One person's way through sign-in. */
export interface SignInStory {
  start: StartAnswer
  /** Where the mock sent the browser back to, as the mock sent it (before any tampering). */
  callback: Callback
  /** The callback URL the browser actually visited; null when it never got back to the app. */
  visited: URL | null
  /** The app's answer to it, redirects within the app followed. */
  landing: BrowserResponse | null
  /** Token requests that carried this story's code, over the whole story. */
  exchanges: JournalEntry[]
  /** GETs of Whop's user endpoints the app made while answering the callback (an identity-only app reads the user there). */
  callbackReads: JournalEntry[]
  /** profilePath right after. Null when the browser never got back to the app. */
  profile: ProfileCheck | null
  hops: Hop[]
}

export interface StoryOptions {
  decision?: 'approve' | 'deny'
  /** Extra parameters of the start (say, where to go after sign-in). */
  startParams?: Record<string, string>
  /** Between the mock's redirect and the visit: change the callback URL, or move the clock. */
  beforeCallback?: (callback: URL, driver: Driver) => Promise<URL> | URL
}

/** Sign in as the configured user with `browser` (an empty jar): start, the mock's page, the callback, profilePath. */
export async function signIn(driver: Driver, browser: Browser, options: StoryOptions = {}): Promise<SignInStory> {
  const mark = await driver.journalMark()
  const start = await startSignIn(driver, browser, options.startParams)
  let callback: Callback =
    start.authorize === null
      ? {
          url: null,
          code: null,
          problem: `the start did not send the browser to the mock at ${driver.oauth.mockUrl}; it ${describeAnswer(start.answer)}`,
        }
      : await passAuthorize(driver, browser, start.authorize, options.decision ?? 'approve')
  // Never follow the mock to another host: a redirect_uri that is not the app's could be anyone's.
  if (callback.url !== null && !driver.inApp(callback.url)) {
    callback = { ...callback, problem: `the mock sent the browser to ${callback.url.origin}${callback.url.pathname}, which is not the app` }
  }
  const visited =
    callback.problem !== null || callback.url === null
      ? null
      : ((await options.beforeCallback?.(new URL(callback.url), driver)) ?? callback.url)
  // The mock's redirect brings the browser back: a cross-site navigation from Whop's page.
  const beforeCallback = await driver.journalMark()
  const landing = visited === null ? null : await visit(driver, browser, visited, new URL(driver.oauth.mockUrl))
  const callbackReads = landing === null ? [] : userReads(driver, await driver.journalSince(beforeCallback))
  const profile = landing === null ? null : await checkProfile(driver, browser)
  const exchanges = exchangesOf(await driver.journalSince(mark), callback.code)
  return { start, callback, visited, landing, exchanges, callbackReads, profile, hops: browser.history }
}

/** Runs `story` from a clean mock on the machine's clock. */
export function story<O>(key: string, phase: number, run: (driver: Driver) => Promise<O>): Scenario<O> {
  return {
    key: `oauth:${key}`,
    phase,
    async run(driver) {
      await driver.freshMockOnMachineClock()
      return run(driver)
    },
  }
}

/** Three starts: one person twice, another once. Nothing reaches the mock's page. */
export const starts = story('starts', 50, async (driver) => {
  const first = driver.newBrowser('oauth-starter-1')
  const second = driver.newBrowser('oauth-starter-2')
  return [await startSignIn(driver, first), await startSignIn(driver, first), await startSignIn(driver, second)]
})

/** A whole sign-in: Approve on the page, the callback as the mock sent it. */
export const approvedSignIn = story('sign-in', 60, (driver) => signIn(driver, driver.newBrowser('oauth-signer')))

/** The callback arrives with its `state` removed, or replaced by another unguessable value. */
export function tamperedState(how: 'missing' | 'altered'): Scenario<SignInStory> {
  return story(`state-${how}`, 60, (driver) =>
    signIn(driver, driver.newBrowser(`oauth-state-${how}`), {
      beforeCallback: (url) => {
        if (how === 'missing') url.searchParams.delete('state')
        else url.searchParams.set('state', randomBytes(16).toString('base64url'))
        return url
      },
    }),
  )
}

/** The person presses Deny: the callback gets `error=access_denied` [D D-OAUTH, D-TROUBLE]. */
export const deniedSignIn = story('denied', 60, (driver) => signIn(driver, driver.newBrowser('oauth-denier'), { decision: 'deny' }))

/** The browser comes back after the code's 300 s: the mock clock moves 301 s first [D S2]. */
export const lateCallback = story('expired-code', 60, (driver) =>
  signIn(driver, driver.newBrowser('oauth-late'), {
    beforeCallback: async (url, d) => {
      await d.mock.advanceClock(301)
      return url
    },
  }),
)

export interface ReplayStory {
  first: SignInStory
  /** Another browser (whoever found the URL in a log or a history) visits the same callback URL; null when there was none. */
  replay: { landing: BrowserResponse; profile: ProfileCheck; hops: Hop[] } | null
  /** Token requests that carried the code over the whole story, replay included. */
  exchanges: JournalEntry[]
}

export const replayedCallback = story('replay', 60, async (driver): Promise<ReplayStory> => {
  const mark = await driver.journalMark()
  const first = await signIn(driver, driver.newBrowser('oauth-first'))
  if (first.visited === null) return { first, replay: null, exchanges: first.exchanges }
  const other = driver.newBrowser('oauth-replayer')
  const landing = await visit(driver, other, first.visited)
  const replay = { landing, profile: await checkProfile(driver, other), hops: other.history }
  return { first, replay, exchanges: exchangesOf(await driver.journalSince(mark), first.callback.code) }
})

/** The plain sign-in and the replay together: every token request a code caused. */
export const signInThenReplay: Scenario<{ signIn: SignInStory; replay: ReplayStory }> = {
  key: 'oauth:sign-in+replay',
  phase: 60,
  run: async (driver) => ({ signIn: await driver.observe(approvedSignIn), replay: await driver.observe(replayedCallback) }),
}

export interface RefreshStory {
  signIn: SignInStory
  /** profilePath once the mock clock is 3601 s on: the access token has expired. */
  afterFirstExpiry: ProfileCheck | null
  /** And 3601 s later again: only the refresh token the first refresh returned is still good. */
  afterSecondExpiry: ProfileCheck | null
}

/** Access tokens live 1 h [D D-OAUTH]; refresh tokens rotate on every use [D]. */
export const expiringSession = story('refresh', 70, async (driver): Promise<RefreshStory> => {
  const browser = driver.newBrowser('oauth-returning')
  const first = await signIn(driver, browser)
  // An identity-only app keeps no Whop token to refresh: its refresh cases are not applicable.
  if (first.profile?.signedIn !== true || !driver.oauth.keepsTokens)
    return { signIn: first, afterFirstExpiry: null, afterSecondExpiry: null }
  await driver.mock.advanceClock(3601)
  const afterFirstExpiry = await checkProfile(driver, browser)
  await driver.mock.advanceClock(3601)
  const afterSecondExpiry = await checkProfile(driver, browser)
  return { signIn: first, afterFirstExpiry, afterSecondExpiry }
})

export interface BrowserUrls {
  /** Every URL a simulated browser requested or was redirected to, in every sign-in story, with the story's name. */
  urls: { story: string; url: string }[]
  /** Values in those URLs that are JWTs the mock signed (its access and id tokens): a token the browser saw. */
  mockSignedTokens: string[]
  /** The refresh tokens the app sent back to Whop, as the journal keeps them (8-character prefix): opaque, so matched by prefix. */
  maskedRefreshTokens: string[]
}

/** What every sign-in story's browsers saw; runs, one after another, the stories that have not run yet. */
export const everyBrowserUrl: Scenario<BrowserUrls> = {
  key: 'oauth:browser-urls',
  phase: 90,
  async run(driver) {
    const maskedRefreshTokens: string[] = []
    const stories: [string, () => Promise<Hop[]>][] = [
      ['starts', async () => (await driver.observe(starts)).flatMap((s) => s.answer.hops)],
      ['sign-in', async () => (await driver.observe(approvedSignIn)).hops],
      ['missing-state', async () => (await driver.observe(tamperedState('missing'))).hops],
      ['altered-state', async () => (await driver.observe(tamperedState('altered'))).hops],
      ['denied', async () => (await driver.observe(deniedSignIn)).hops],
      ['expired-code', async () => (await driver.observe(lateCallback)).hops],
      ['replay', async () => ((s) => [...s.first.hops, ...(s.replay?.hops ?? [])])(await driver.observe(replayedCallback))],
    ]
    if (refreshes(variantEra(driver.oauth.flow)) && driver.oauth.keepsTokens) {
      stories.push([
        'refresh',
        async () => {
          const s = await driver.observe(expiringSession)
          for (const check of [s.afterFirstExpiry, s.afterSecondExpiry])
            maskedRefreshTokens.push(...(check?.refreshes ?? []).map((e) => String(requestBody(e).refresh_token)))
          return s.signIn.hops
        },
      ])
    }
    const urls: BrowserUrls['urls'] = []
    for (const [name, hopsOf] of stories) {
      for (const hop of await hopsOf()) {
        urls.push({ story: name, url: hop.url })
        if (hop.location !== null) urls.push({ story: name, url: new URL(hop.location, hop.url).href })
      }
    }
    const mockSignedTokens: string[] = []
    for (const candidate of new Set(urls.flatMap(({ url }) => jwtsIn(url)))) {
      // Only the mock's own tokens count: an app may well sign its own state as a JWT.
      const check = await driver.verifyToken(driver.oauth.mockUrl, candidate)
      if (check.valid || check.expired) mockSignedTokens.push(candidate)
    }
    return { urls, mockSignedTokens, maskedRefreshTokens }
  },
}
