import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { describeAnswer, fail, pass, unanswered, whereIn } from '../judge.js'
import { upstreamWithoutToken } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-upstream-2xx-without-token-refused',
  description:
    'When Whop answers the mint 200 without a token, the route answers an error (4xx/5xx), not a 2xx, and passes none of that body on',
  source: 'reference §2.1: a mint answers {token} [D S3]; an answer without it is no token',
  part: 'token-route',
  scenario: upstreamWithoutToken,
  control: normalMint,
  verdict: ({ call, canary }) => {
    const silent = unanswered(call, 'after Whop answered without a token')
    if (silent !== null) return silent
    const expected = "an error answer (4xx/5xx) of the app's own"
    if (call.answer.status < 400) return fail(expected, `the app ${describeAnswer(call.answer)}`, call.mints)
    const where = whereIn(call.answer, canary)
    return where === null ? pass : fail(expected, `the ${where} repeats Whop's answer (${canary})`, call.mints)
  },
})
