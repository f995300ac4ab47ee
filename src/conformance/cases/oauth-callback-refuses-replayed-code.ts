import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { fail, pass, skip } from '../judge.js'
import { describeProfile, unreturned } from '../judge-oauth.js'
import { replayedCallback } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-refuses-replayed-code',
  description: 'A callback URL visited again from another browser, after the sign-in it belonged to, signs that browser in as nobody',
  source: 'reference §6 item 1: codes are single-use [D S2, D-OAUTH]; item 2 [D S2]; §2.2 Authorize: state [D D-OAUTH]',
  part: 'oauth',
  scenario: replayedCallback,
  control: normalSignIn,
  verdict: ({ first, replay, exchanges }, { oauth }) => {
    if (replay === null) return unreturned(first) ?? skip('the first sign-in never came back to the callback')
    if (!replay.profile.signedIn) return pass
    return fail(
      'the other browser not signed in',
      `after visiting the first person's callback URL, ${describeProfile(replay.profile, oauth!)}`,
      [...exchanges, ...replay.profile.reads],
    )
  },
})
