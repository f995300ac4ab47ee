/**
 * Whop failing during sign-in: at the flow's token endpoint, at the user reads, at discovery or
 * at the JWKS, Whop answers a 5xx JSON error, a proxy's HTML 502 page, or nothing within the
 * bound. Each story arms one failure on a clean mock, takes a person through sign-in, and asks
 * the profile route at the end. Discovery and JWKS stories run before any other sign-in, since
 * apps fetch both once and keep them.
 * @see docs/whop-reference.md §2.2, §6 items 13-15
 */
import { randomBytes } from 'node:crypto'
import type { FaultSpec } from '../../state/faults.js'
import { ANSWER_BOUND_MS, type Driver, type Scenario } from '../driver.js'
import type { OAuthPaths } from '../known.js'
import { checkProfile, type ProfileCheck } from '../sign-in-driver.js'
import { signIn, story, type SignInStory } from './oauth.js'

export const WHOP_FAILURES = ['5xx-json', 'html-502', 'stall'] as const
export type WhopFailure = (typeof WHOP_FAILURES)[number]

/** Where Whop fails: a key of the flow's paths. */
export type FailingStep = keyof Pick<OAuthPaths, 'token' | 'userReads' | 'discovery' | 'jwks'>

/** How long a stalled Whop holds a request: past the bound the app has to answer the browser in. */
export const STALL_MS = ANSWER_BOUND_MS + 1000

/** Shots per failure: every attempt of any bounded retry policy meets it. */
const SHOTS = 10

export interface FailedSignIn {
  failure: WhopFailure
  /** A string only Whop's failing answer carries: an app that shows it shows Whop's error body. */
  canary: string
  story: SignInStory
  /** profilePath at the end of the story, whether or not the browser came back to the callback. */
  after: ProfileCheck
  /** Whether the app asked Whop at the failing step at all (an app may have read discovery earlier). */
  reached: boolean
  /** The paths that failed. */
  paths: string[]
}

/** The fault that makes Whop fail this way (its path aside). */
export function failingAnswer(failure: WhopFailure, canary: string): Omit<FaultSpec, 'path'> {
  const json = { error: 'temporarily_unavailable', error_description: `The service is temporarily unavailable (${canary})` }
  switch (failure) {
    case '5xx-json':
      return { status: 503, body: json, times: SHOTS }
    case 'html-502':
      return {
        status: 502,
        body: `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>${canary}</p></body></html>`,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        times: SHOTS,
      }
    case 'stall':
      return { status: 503, body: json, delay_ms: STALL_MS, times: SHOTS }
  }
}

/** One sign-in while Whop fails at `paths` in one way. */
async function signInWhileFailing(driver: Driver, paths: string[], failure: WhopFailure, name: string): Promise<FailedSignIn> {
  await driver.freshMockOnMachineClock()
  const canary = `whop-ref-${randomBytes(6).toString('hex')}`
  for (const path of paths) await driver.mock.addFault({ path, ...failingAnswer(failure, canary) })
  const browser = driver.newBrowser(`whop-${name}-${failure}`)
  const signedIn = await signIn(driver, browser)
  const after = await checkProfile(driver, browser)
  const left = await driver.mock.faults()
  const reached = paths.some((path) => (left.find((f) => f.path === path)?.remaining ?? 0) < SHOTS)
  await driver.mock.clearFaults()
  return { failure, canary, story: signedIn, after, reached, paths }
}

/** Whop fails at one step of sign-in, each way in turn. Discovery and the JWKS go first of all sign-in stories. */
export function whopFailsAt(step: FailingStep): Scenario<FailedSignIn[]> {
  const early = step === 'discovery' || step === 'jwks'
  return story(`whop-fails-at-${step}`, early ? (step === 'discovery' ? 45 : 46) : 60, async (driver) => {
    const out: FailedSignIn[] = []
    for (const failure of WHOP_FAILURES) out.push(await signInWhileFailing(driver, driver.oauth.paths[step], failure, step))
    return out
  })
}
