/**
 * Verdict builders for the stories where Whop misbehaves or sends what the app must check: an
 * app that copes answers below 500 and in time, signs nobody in, and never shows Whop's error
 * body as its own page.
 */
import type { JournalEntry } from '../state/journal.js'
import type { BrowserResponse } from './browser-types.js'
import type { Verdict } from './case.js'
import { ANSWER_BOUND_MS } from './driver.js'
import { describeAnswer, fail, pass, passWithWarning, skip } from './judge.js'
import { describeProfile, requestsOf, withCookies } from './judge-oauth.js'
import type { OAuthKnown } from './known.js'
import type { SignInStory } from './scenarios/oauth.js'
import type { TamperedSignIn } from './scenarios/sign-in-attacks.js'
import { STALL_MS, type FailedSignIn, type WhopFailure } from './scenarios/whop-failures.js'

/** How Whop failed, in words. */
export const FAILURE_WORDS: Record<WhopFailure, string> = {
  '5xx-json': 'answered 503 with a JSON error',
  'html-502': 'answered a 502 HTML page',
  stall: `gave no answer for ${STALL_MS / 1000} s`,
}

/** What is wrong with one answer of the app's, or null: no answer in time, a 5xx, or Whop's `canary` in it. */
export function answerProblem(what: string, answer: BrowserResponse, canary?: string): string | null {
  if (answer.status === 0) return `${what} got no answer within ${ANSWER_BOUND_MS} ms (${answer.error ?? 'no response'})`
  if (answer.status >= 500) return `${what} ${describeAnswer(answer)}`
  if (canary !== undefined && answer.body.includes(canary)) return `${what} shows Whop's error body: ${describeAnswer(answer)}`
  return null
}

/** Why a story's browser counts as signed in, or null when it does not. */
export function signedInProblem(story: SignInStory, oauth: OAuthKnown, after = story.profile): string | null {
  const signedIn = [story.profile, after].find((p) => p?.signedIn === true)
  return signedIn == null ? null : withCookies(`the browser is signed in: ${describeProfile(signedIn, oauth)}`, story, oauth)
}

/** What went wrong when Whop failed during one sign-in, or null when the app coped. */
function copingProblem(o: FailedSignIn, oauth: OAuthKnown): string | null {
  const answers: [string, BrowserResponse][] = [['the start', o.story.start.answer]]
  if (o.story.landing !== null) answers.push(['the callback', o.story.landing])
  if (o.story.profile !== null) answers.push([`GET ${oauth.profilePath}`, o.story.profile.answer])
  answers.push([`GET ${oauth.profilePath} at the end`, o.after.answer])
  for (const [what, answer] of answers) {
    const problem = answerProblem(what, answer, o.canary)
    if (problem !== null) return problem
  }
  return signedInProblem(o.story, oauth, o.after)
}

/**
 * The verdict on sign-ins during which Whop failed at `step` each way: judged on those where the
 * app asked Whop there; skipped when it never did (an app may have read discovery before).
 */
export function copesWithWhopFailures(outcomes: FailedSignIn[], step: string, oauth: OAuthKnown): Verdict {
  const reached = outcomes.filter((o) => o.reached)
  if (reached.length === 0)
    return skip(
      `the app never asked Whop's ${step} (${outcomes[0]?.paths.join(', ') ?? ''}) during a sign-in, so the failures never reached it`,
    )
  for (const o of reached) {
    const problem = copingProblem(o, oauth)
    const evidence: JournalEntry[] = [...requestsOf(o.story), ...o.after.reads]
    if (problem !== null)
      return fail(
        `when Whop's ${step} ${FAILURE_WORDS[o.failure]}: every answer below 500 within ${ANSWER_BOUND_MS} ms, nobody signed in, Whop's body never shown`,
        problem,
        evidence,
      )
  }
  return pass
}

/** Why the signature cases warn rather than fail: Whop's flows hand id_tokens over the back channel only. */
export const BACK_CHANNEL_NOTE =
  "the id_token came straight from Whop's token endpoint (the back channel), where OpenID Connect Core §3.1.3.7 item 6 lets a client rely on TLS instead of the signature, as the OIDF client test plans allow; checking the signature is still better"

/**
 * A sign-in whose id_token or userinfo answer Whop spoiled: refused means nobody signed in and a
 * callback below 500. `warnOnly` (the signature cases): signing in is a warning, not a failure.
 */
export function refusesTampered(t: TamperedSignIn, oauth: OAuthKnown, what: string, warnOnly = false): Verdict {
  if (t.story.landing === null || t.story.profile === null)
    return skip(`the sign-in never came back to the app's callback: ${t.story.callback.problem ?? 'no redirect'}`)
  if (t.spoiled.length === 0)
    return skip(`Whop never handed the app a spoiled answer (${what}): the app made no request the tampering applies to`)
  const expected = `${what} refused: nobody signed in, the callback answered below 500`
  const evidence = [...requestsOf(t.story), ...t.spoiled]
  const crashed = answerProblem('the callback', t.story.landing)
  if (crashed !== null) return fail(expected, crashed, evidence)
  const signedIn = signedInProblem(t.story, oauth)
  if (signedIn === null) return pass
  return warnOnly ? passWithWarning(`${what} accepted (${signedIn}); ${BACK_CHANNEL_NOTE}`) : fail(expected, signedIn, evidence)
}
