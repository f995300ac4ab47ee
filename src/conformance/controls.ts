/**
 * The positive controls: a normal sign-in and a normal mint, each the same scenario the
 * plain-path cases judge. Refusal and leak cases name one; the runner judges them only when it
 * succeeded in the same run, so an app that signs nobody in (or mints for nobody) cannot pass
 * "refuses a tampered callback" (or "refuses an anonymous caller") by doing nothing at all.
 */
import { defineControl } from './case.js'
import { describeAnswer } from './judge.js'
import { withCookies } from './judge-oauth.js'
import { approvedSignIn } from './scenarios/oauth.js'
import { signedInCaller } from './scenarios/token-route.js'

/** The sign-in story with Approve: the browser came back and the app treats it as signed in. */
export const normalSignIn = defineControl('a normal sign-in', approvedSignIn, (story, { oauth }) => {
  if (story.profile === null) return `the sign-in never came back to the app's callback: ${story.callback.problem ?? 'no redirect'}`
  if (story.profile.signedIn) return null
  const text = `after a normal sign-in, GET ${oauth?.profilePath ?? 'the profile path'} ${describeAnswer(story.profile.answer)}`
  return oauth === null ? text : withCookies(text, story, oauth)
})

/** The signed-in caller asks the token route for a token: the app answered one that verifies. */
export const normalMint = defineControl('a normal token request by the signed-in caller', signedInCaller, (call) => {
  if (call.token === null) return `the token route ${describeAnswer(call.answer)}`
  return call.check?.valid === true ? null : `the token route answered a token that does not verify: ${call.check?.problem ?? 'unchecked'}`
})
