import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { describeAnswer, fail, pass, unanswered, whereIn } from '../judge.js'
import { upstreamHtml502 } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-upstream-html-5xx-handled',
  description:
    'When a proxy in front of Whop answers the mint with a 502 HTML page, the route answers an error of its own and passes none of the page on',
  source: 'reference §4.1: @whop/sdk puts a non-JSON body in err.error and err.message [D NEW:src/core/error.ts]; §6 item 13',
  part: 'token-route',
  scenario: upstreamHtml502,
  control: normalMint,
  verdict: ({ call, canary }) => {
    const silent = unanswered(call, "after Whop's HTML 502")
    if (silent !== null) return silent
    const expected = "an error answer (4xx/5xx) of the app's own"
    if (call.answer.status < 400) return fail(expected, `the app ${describeAnswer(call.answer)}`, call.mints)
    const where = whereIn(call.answer, canary)
    return where === null ? pass : fail(expected, `the ${where} repeats Whop's HTML page (${canary})`, call.mints)
  },
})
