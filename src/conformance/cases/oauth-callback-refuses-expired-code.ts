import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { fail, pass } from '../judge.js'
import { describeProfile, requestsOf, unreturned } from '../judge-oauth.js'
import { lateCallback } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-refuses-expired-code',
  description: 'A callback that arrives after its code expired (mock clock +301 s) signs no one in',
  source: 'reference §6 item 3: codes expire after 5 minutes, invalid_grant "Authorization code has expired" [D S2, D-OAUTH]',
  part: 'oauth',
  scenario: lateCallback,
  control: normalSignIn,
  verdict: (story, { oauth }) =>
    unreturned(story) ??
    (story.profile!.signedIn
      ? fail(
          'nobody signed in once Whop refused the expired code',
          `after the late callback, ${describeProfile(story.profile!, oauth!)}`,
          requestsOf(story),
        )
      : pass),
})
