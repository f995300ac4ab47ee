import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { allOf, fail, pass, unanswered, whereIn } from '../judge.js'
import { upstreamFailures } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-upstream-error-hides-api-key',
  description: 'When Whop answers 401, 403, 500, 503 or 429, the error answer carries no trace of the API key',
  source: 'API key: "keep it on your server only" [D S0, S1]; reference §6 items 13-15',
  part: 'token-route',
  scenario: upstreamFailures([401, 403, 500, 503, 429]),
  control: normalMint,
  verdict: (failures, { apiKey }) =>
    allOf(
      failures.map(({ status, call }) => {
        const where = whereIn(call.answer, apiKey)
        return (
          unanswered(call, `when Whop failed with ${status}`) ??
          (where === null
            ? pass
            : fail(
                'no trace of the API key in the error answer',
                `after Whop's ${status}, the ${where} carries the full API key`,
                call.mints,
              ))
        )
      }),
    ),
})
