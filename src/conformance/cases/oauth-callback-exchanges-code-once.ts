import { defineCase } from '../case.js'
import { describeAnswer, fail, pass } from '../judge.js'
import { unreturned } from '../judge-oauth.js'
import { signInThenReplay } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-exchanges-code-once',
  description: 'The callback exchanges its code exactly once, and not again when the same callback URL is visited a second time',
  source:
    'reference §6 item 1 [D S2, D-OAUTH]; item 2: a second exchange revokes the connection [D S2]; §2.4 "this endpoint isn\'t idempotent" [D S2]',
  part: 'oauth',
  scenario: signInThenReplay,
  verdict: ({ signIn, replay }) => {
    const expected = 'one token request carrying the code, and none more when the callback URL comes back'
    if (signIn.exchanges.length !== 1)
      return (
        unreturned(signIn) ??
        fail(
          expected,
          `the callback sent ${signIn.exchanges.length} token requests carrying its code; it ${describeAnswer(signIn.landing!)}`,
          signIn.exchanges,
        )
      )
    if (replay.exchanges.length > 1)
      return fail(
        expected,
        `when another browser visited the same callback URL, the app sent the code again (${replay.exchanges.length} token requests in all)`,
        replay.exchanges,
      )
    return pass
  },
})
