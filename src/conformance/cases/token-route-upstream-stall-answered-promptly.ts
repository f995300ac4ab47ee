import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { ANSWER_BOUND_MS } from '../driver.js'
import { describeAnswer, fail, pass, skip } from '../judge.js'
import { upstreamStall } from '../scenarios/token-route.js'
import { STALL_MS } from '../scenarios/whop-failures.js'

export default defineCase({
  id: 'token-route-upstream-stall-answered-promptly',
  description: `When Whop does not answer the mint for ${STALL_MS / 1000} s, the route answers an error (4xx/5xx) within ${ANSWER_BOUND_MS / 1000} s`,
  source:
    'reference §4.1: @whop/sdk waits 60 s by default before it gives up [D NEW:src/client.ts]; the chat elements call getToken again on failure [D S1]',
  part: 'token-route',
  scenario: upstreamStall,
  control: normalMint,
  verdict: ({ call, reached }) =>
    !reached
      ? skip(`the app answered without calling Whop, so the stall never reached it; it ${describeAnswer(call.answer)}`)
      : call.answer.status >= 400
        ? pass
        : fail(`an error answer within ${ANSWER_BOUND_MS} ms while Whop stalls`, `the app ${describeAnswer(call.answer)}`, call.mints),
})
