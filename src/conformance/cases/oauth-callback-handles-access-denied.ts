import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { describeAnswer, fail, pass } from '../judge.js'
import { describeProfile, unreturned } from '../judge-oauth.js'
import { deniedSignIn } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-handles-access-denied',
  description:
    'When the person presses Deny, the callback (error=access_denied) answers with a page or a redirect, not a 5xx, and signs no one in',
  source:
    'reference §2.2 Authorize: failure redirect with error and error_description [D D-OAUTH, D-TROUBLE]; §6 item 29 [D D-OAUTH, AUTHJS]',
  part: 'oauth',
  scenario: deniedSignIn,
  control: normalSignIn,
  verdict: (story, { oauth }) => {
    const expected = 'an answer below 500 saying sign-in did not happen, and nobody signed in'
    const skipped = unreturned(story)
    if (skipped !== null) return skipped
    if (story.landing!.status === 0 || story.landing!.status >= 500)
      return fail(expected, `the callback with error=access_denied ${describeAnswer(story.landing!)}`)
    return story.profile!.signedIn ? fail(expected, `after Deny, ${describeProfile(story.profile!, oauth!)}`, story.profile!.reads) : pass
  },
})
