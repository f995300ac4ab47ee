import { defineCase } from '../case.js'
import { describeAnswer, describeCall, fail, pass } from '../judge.js'
import { callerAfterExpiry } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-remints-after-expiry',
  description: 'Once the token it gave has expired (mock clock past exp), mints a new one instead of serving the stale one',
  source: 'reference §3: "Mint them on demand rather than caching them" [D D-SCOPE]; §6 item 30 [D S1]',
  part: 'token-route',
  scenario: callerAfterExpiry,
  verdict: ({ first, second }) => {
    if (first.check?.claims?.exp === undefined) return fail('a first token with an exp claim', describeCall(first), first.mints)
    const evidence = [...first.mints, ...second.mints]
    if (second.check === null) return fail('a fresh token after expiry', `the app ${describeAnswer(second.answer)}`, evidence)
    if (second.check.claims?.jti === first.check.claims.jti || second.mints.length === 0)
      return fail('a new mint and a new token after expiry', 'the app served the expired token again without calling Whop', evidence)
    return second.check.valid ? pass : fail('a token valid at the mock clock', second.check.problem!, evidence)
  },
})
