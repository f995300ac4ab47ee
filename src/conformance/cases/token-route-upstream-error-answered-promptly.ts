import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { ANSWER_BOUND_MS } from '../driver.js'
import { allOf, describeAnswer, fail, pass, unreached } from '../judge.js'
import { upstreamFailures } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-upstream-error-answered-promptly',
  description: `When Whop answers 401, 403, 500, 503 or 429, answers an error (4xx/5xx) within ${ANSWER_BOUND_MS / 1000} s; bounded retries of 429/5xx are fine`,
  source: 'reference §2.1 error table [D S3]; §6 items 13-15 [D D-TROUBLE, S3]; §4.1 @whop/sdk retries and Retry-After [D NEW]',
  part: 'token-route',
  scenario: upstreamFailures([401, 403, 500, 503, 429]),
  control: normalMint,
  verdict: (failures) =>
    allOf(
      failures.map(
        ({ status, call }) =>
          unreached(call, `when Whop failed with ${status}`) ??
          (call.answer.status >= 400
            ? pass
            : fail(
                `an error answer within ${ANSWER_BOUND_MS} ms when Whop answers ${status}`,
                `the app ${describeAnswer(call.answer)}`,
                call.mints,
              )),
      ),
    ),
})
