import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { allOf, fail, pass, unanswered, whereIn } from '../judge.js'
import { upstreamFailures } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-upstream-error-hides-upstream-body',
  description: "When Whop answers 401, 403, 500, 503 or 429, passes on neither Whop's error body nor its message",
  source: 'reference §4.1: @whop/sdk puts the whole upstream body in err.error and err.message [D NEW:src/core/error.ts]; §2.1 [D S3]',
  part: 'token-route',
  scenario: upstreamFailures([401, 403, 500, 503, 429]),
  control: normalMint,
  verdict: (failures) =>
    allOf(
      failures.map(({ status, canary, call }) => {
        const where = whereIn(call.answer, canary)
        return (
          unanswered(call, `when Whop failed with ${status}`) ??
          (where === null
            ? pass
            : fail(
                "an error of the app's own, not Whop's",
                `after Whop's ${status}, the ${where} repeats Whop's error message (${canary})`,
                call.mints,
              ))
        )
      }),
    ),
})
